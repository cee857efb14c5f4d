package org.coopvm.hypervisor.config;

/**
 * Where a guest runs (DESIGN.md section 8): written {@code "process"} or {@code "in-process"}
 * in a domain config.
 */
public enum Isolation
{
    /** One JVM per guest, started by the host; a guest crash never takes the host down. */
    PROCESS,
    /** The guest is objects in the host JVM: for tests and thousands of small guests. */
    IN_PROCESS
}
