package org.coopvm.hypervisor.sched.runtime;

/**
 * Host-wide counters of the CPU scheduler ({@link CpuScheduler#counter}); metrics and tests read them.
 */
public enum SchedCounter
{
    /** Duty cycles of the scheduler agent: stays flat while the host is idle (the agent sleeps). */
    DUTY_CYCLES,
    /** Ticks given to the algorithm (only while a vCPU is runnable or running). */
    TICKS,
    /** Slots granted. */
    GRANTS,
    /** Slots given back by guests. */
    RELEASES,
    /** Preempt flags raised (the algorithm picked another vCPU for a busy slot). */
    PREEMPTIONS,
    /** Slots taken back by the host (pause, suspension, vCPU down, SCHEDOP_block/poll while holding). */
    REVOCATIONS,
    /** Overruns: a slot kept past slice + grace after the preempt flag. */
    OVERRUNS,
    /** Deadlines moved because the vCPU's thread waited for a host CPU (the host's overload, not the guest's fault). */
    OVERRUNS_EXCUSED,
    /** Domains suspended for repeated overruns. */
    SUSPENSIONS,
    /** Charges measured from the thread's schedstat. */
    CPU_TIME_CHARGES,
    /** Charges that fell back to wall time (no valid thread id, or its schedstat unreadable). */
    WALL_TIME_CHARGES,
    /** Slices guests asked for (SCHEDOP_coop_slice) and got. */
    SLICE_REQUESTS,
    /** Slice requests refused with -EINVAL (longer than the configured slice, or negative). */
    SLICE_REQUESTS_REFUSED
}
