package org.coopvm.hypervisor.sched.runtime;

import org.coopvm.hypervisor.sched.SchedParams;
import org.coopvm.hypervisor.sched.SchedulerSettings;

/**
 * Told about the CPU scheduler's enforcement (overruns, suspensions and their end), about live
 * changes of its parameters and about slices guests asked for (the trace and the metrics listen).
 *
 * <p>Thread safety: called under the scheduler's lock, on its thread (enforcement), on the thread
 * that made the change (adjustments) or on the hypercall dispatcher's (a slice request): return quickly.
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

    /**
     * A domain's weight, cap or slice changed at run time (in effect from the next scheduling decision).
     *
     * @param domid  the domain.
     * @param before its parameters until now.
     * @param after  its parameters from now on.
     * @param by     who changed them (e.g. {@code "coop sched-credit"}), "" when not said.
     */
    default void onAdjusted(final int domid, final SchedParams before, final SchedParams after, final String by)
    {
    }

    /**
     * The host's slice or rate limit changed at run time.
     *
     * @param before the settings until now.
     * @param after  the settings from now on.
     * @param by     who changed them, "" when not said.
     */
    default void onSettingsAdjusted(final SchedulerSettings before, final SchedulerSettings after, final String by)
    {
    }
}
