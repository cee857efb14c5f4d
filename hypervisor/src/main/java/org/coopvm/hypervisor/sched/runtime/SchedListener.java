package org.coopvm.hypervisor.sched.runtime;

import org.coopvm.hypervisor.sched.SchedParams;
import org.coopvm.hypervisor.sched.SchedulerSettings;

/**
 * Told about the CPU scheduler's enforcement (overruns, suspensions and their end) and about live
 * changes of its parameters (the trace and the metrics listen).
 *
 * <p>Thread safety: called under the scheduler's lock, on its thread (enforcement) or on the thread
 * that made the change (adjustments): return quickly.
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
