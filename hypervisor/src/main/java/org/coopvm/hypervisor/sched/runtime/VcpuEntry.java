package org.coopvm.hypervisor.sched.runtime;

import org.coopvm.hypervisor.sched.SchedParams;
import org.coopvm.hypervisor.sched.SchedVcpu;
import org.coopvm.rings.domain.VcpuInfoDescriptor;
import org.coopvm.rings.domain.VcpuSlot;
import org.coopvm.rings.doorbell.Doorbell;

import java.util.Arrays;

/**
 * The CPU scheduler's books on one vCPU: the handshake state of its slot words (its own copy of
 * the grant sequence; never re-read from shared memory), what the guest last asked for, where it
 * stands in the algorithm, enforcement deadlines and CPU accounting.
 *
 * <p>Thread safety: under the scheduler's lock only.
 */
final class VcpuEntry
{
    /** No grant outstanding. */
    static final int NOT_GRANTED = 0;
    /** Holds a slot, in the guest's eyes and in the host's books. */
    static final int GRANTED = 1;
    /** The guest still holds a grant, but the host took the slot back (paused, suspended, down, blocked). */
    static final int REVOKED = 2;

    /** The algorithm sees it blocked. */
    static final int ASLEEP = 0;
    /** The algorithm has it in its run queue. */
    static final int QUEUED = 1;
    /** The algorithm made it the current of a slot. */
    static final int CURRENT = 2;
    private static final long NO_OVERRUN = Long.MIN_VALUE;

    final DomainEntry domain;
    final int vcpu;
    final SchedVcpu sched;
    final VcpuSlot slot = new VcpuSlot();
    final Doorbell doorbell;
    final long createdNs;

    boolean online;
    boolean waiting;
    boolean wants;
    int phase = NOT_GRANTED;
    int grantSeq;
    int grantSlot = -1;
    int algo = ASLEEP;
    int currentSlot = -1;
    int yieldTarget = -1;

    long grantedAtNs;
    long preemptAtNs;
    long deadlineNs;
    long waitAtDeadlineStartNs = -1;
    long excusedNs;
    long cpuAtDeadlineStartNs = -1;
    long starvedExcusedNs;
    final long[] recentOverrunsNs;
    long overruns;

    int tid;
    long pidTried = -1;
    SchedstatClock cpuClock;
    long lastCpuNs;
    long lastChargeNs;
    long chargedNs;
    long wallCharges;

    VcpuEntry(final DomainEntry domain, final int vcpu, final SchedParams params, final long nowNs, final int overrunLimit)
    {
        this.domain = domain;
        this.vcpu = vcpu;
        this.sched = new SchedVcpu(domain.domid(), vcpu, params);
        this.slot.wrap(domain.domain.regions().sharedInfo().payloadBuffer(), vcpu);
        this.doorbell = domain.domain.response(vcpu).doorbell();
        this.online = domain.domain.vcpu(vcpu).isOnline();
        this.grantSeq = slot.grantSeq();
        this.createdNs = nowNs;
        this.recentOverrunsNs = new long[overrunLimit];
        forgetOverruns();
    }

    /**
     * Count an overrun.
     *
     * @param nowNs    the time.
     * @param windowNs the window recent overruns are counted in.
     * @return overruns within the window, this one included.
     */
    int recordOverrun(final long nowNs, final long windowNs)
    {
        recentOverrunsNs[(int)(overruns++ % recentOverrunsNs.length)] = nowNs;
        int recent = 0;
        for (final long atNs : recentOverrunsNs)
        {
            if (atNs != NO_OVERRUN && nowNs - atNs <= windowNs)
            {
                recent++;
            }
        }
        return recent;
    }

    /** Forget the recent overruns (a suspension paid for them). */
    void forgetOverruns()
    {
        Arrays.fill(recentOverrunsNs, NO_OVERRUN);
    }

    /** @return whether the vCPU may run now: up, not waiting in a hypercall, its domain not held. */
    boolean isEligible()
    {
        return online && !waiting && !domain.isHeld();
    }

    /** @return whether the algorithm should count it runnable: eligible and wanting, or holding its slot. */
    boolean isRunnable()
    {
        return isEligible() && ((phase == NOT_GRANTED && wants) || phase == GRANTED);
    }

    /** @return its runstate from the books: running = holds a slot, runnable = wants one, blocked, offline. */
    int runstate()
    {
        if (!online || domain.isHeld())
        {
            return VcpuInfoDescriptor.RUNSTATE_OFFLINE;
        }
        if (phase == GRANTED)
        {
            return VcpuInfoDescriptor.RUNSTATE_RUNNING;
        }
        if (waiting)
        {
            return VcpuInfoDescriptor.RUNSTATE_BLOCKED;
        }
        return wants || phase == REVOKED ? VcpuInfoDescriptor.RUNSTATE_RUNNABLE : VcpuInfoDescriptor.RUNSTATE_BLOCKED;
    }

    @Override
    public String toString()
    {
        return sched.toString();
    }
}
