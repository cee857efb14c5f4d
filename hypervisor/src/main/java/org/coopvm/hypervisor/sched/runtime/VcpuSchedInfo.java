package org.coopvm.hypervisor.sched.runtime;

import org.coopvm.hypervisor.domain.Vcpu;
import org.coopvm.hypervisor.sched.VcpuSchedState;

import static org.coopvm.rings.domain.VcpuInfoDescriptor.*;

/**
 * One vCPU as the CPU scheduler sees it, at a moment: its runstate with the time in each state
 * (the current one brought up to that moment, so they add up to the time since the domain was
 * created), the CPU time charged for it, how that was measured, its overruns and the algorithm's
 * view (priority, credit). What {@code coop vcpu-list} and the usage page show.
 *
 * <p>Thread safety: immutable.
 *
 * @param domid        the domain.
 * @param vcpu         the vCPU.
 * @param runstate     {@code RUNSTATE_*}: running 0, runnable 1, blocked 2, offline 3.
 * @param runningNs    time holding a slot.
 * @param runnableNs   time wanting one.
 * @param blockedNs    time idle or waiting in SCHEDOP_block/poll.
 * @param offlineNs    time down, paused or suspended.
 * @param cpuNs        CPU time charged to it (schedstat, or wall time held where that was not possible).
 * @param wallCharges  charges that fell back to wall time.
 * @param overruns     overruns so far.
 * @param holdsSlot    whether it holds a slot now.
 * @param state        the algorithm's priority and credit.
 * @param slot         the slot it holds, -1 when it holds none.
 */
public record VcpuSchedInfo(
    int domid,
    int vcpu,
    int runstate,
    long runningNs,
    long runnableNs,
    long blockedNs,
    long offlineNs,
    long cpuNs,
    long wallCharges,
    long overruns,
    boolean holdsSlot,
    VcpuSchedState state,
    int slot)
{
    /** @return steal time: runnable + offline, as Xen counts it. */
    public long stealNs()
    {
        return runnableNs + offlineNs;
    }

    static VcpuSchedInfo of(final VcpuEntry e, final VcpuSchedState state, final long nowNs)
    {
        final Vcpu v = e.domain.domain.vcpu(e.vcpu);
        final long[] times = v.timesNs().clone();
        if (v.entryTimeNs() != 0 && nowNs - v.entryTimeNs() > 0)
        {
            times[v.runstate()] += nowNs - v.entryTimeNs();
        }
        return new VcpuSchedInfo(e.domain.domid(), e.vcpu, v.runstate(), times[RUNSTATE_RUNNING], times[RUNSTATE_RUNNABLE],
            times[RUNSTATE_BLOCKED], times[RUNSTATE_OFFLINE], e.chargedNs, e.wallCharges, e.overruns,
            e.phase == VcpuEntry.GRANTED, state, e.phase == VcpuEntry.GRANTED ? e.grantSlot : -1);
    }
}
