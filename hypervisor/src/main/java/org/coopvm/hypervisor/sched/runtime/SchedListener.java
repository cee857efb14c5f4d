package org.coopvm.hypervisor.sched.runtime;

/**
 * Told about the CPU scheduler's enforcement (overruns, suspensions and their end) and about
 * slices guests asked for (the trace and the metrics listen).
 *
 * <p>Thread safety: called under the scheduler's lock (on its thread; a slice request on the hypercall
 * dispatcher's): return quickly.
 */
public interface SchedListener
{
    /** Ignores everything. */
    SchedListener NONE = new SchedListener()
    {
    };

    /**
     * A vCPU kept its slot past its slice plus the grace after it was asked to give it back.
     *
     * @param domid   the domain.
     * @param vcpu    the vCPU.
     * @param overNs  how long since it was asked (or since it may run again, for a revoked slot).
     * @param recent  its overruns within the window, this one included.
     */
    default void onOverrun(final int domid, final int vcpu, final long overNs, final int recent)
    {
    }

    /**
     * A domain is suspended: its vCPUs get no slot (and a process guest is stopped) until the penalty ends.
     *
     * @param domid     the domain.
     * @param vcpu      the vCPU whose overruns caused it.
     * @param penaltyNs how long.
     * @param overruns  its overruns within the window.
     * @param reason    why, for the trace.
     */
    default void onSuspended(final int domid, final int vcpu, final long penaltyNs, final int overruns, final String reason)
    {
    }

    /**
     * A guest asked for a shorter slice (SCHEDOP_coop_slice), or to go back to the configured one,
     * and the slice its domain runs with changed.
     *
     * @param domid        the domain.
     * @param vcpu         the vCPU that asked.
     * @param requestedMs  what it asked for (0 = the configured slice).
     * @param effectiveMs  the slice in effect now.
     * @param configuredMs the slice the toolstack configured (or the host's).
     */
    default void onSliceRequest(final int domid, final int vcpu, final int requestedMs, final int effectiveMs, final int configuredMs)
    {
    }

    /**
     * A suspension ended.
     *
     * @param domid the domain.
     */
    default void onResumed(final int domid)
    {
    }
}
