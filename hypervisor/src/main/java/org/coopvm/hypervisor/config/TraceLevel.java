package org.coopvm.hypervisor.config;

/**
 * How much the host writes to its trace (host config {@code trace_level}): each level
 * includes the ones before it.
 */
public enum TraceLevel
{
    /** No trace records at all; costs nothing. */
    OFF,
    /** Domain lifecycle: create, pause, shutdown with reason, destroy, crash detection. */
    LIFECYCLE,
    /** Lifecycle plus every hypercall and its result. */
    HYPERCALLS
}
