package org.coopvm.hypervisor.api;

/**
 * A vCPU's run state, as Xen's {@code RUNSTATE_*}: running on a physical CPU slot, runnable
 * (wants to run), blocked (waiting for an event), or offline (down or not yet brought up).
 */
public enum VcpuState
{
    /** Running now. */
    RUNNING,
    /** Ready to run, waiting for a slot. */
    RUNNABLE,
    /** Waiting for an event or timer. */
    BLOCKED,
    /** Down, not brought up, or its domain is paused or shut down. */
    OFFLINE
}
