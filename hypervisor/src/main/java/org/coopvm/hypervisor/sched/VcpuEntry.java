package org.coopvm.hypervisor.sched;

/**
 * What the shipped algorithms keep about one vCPU (in {@link SchedVcpu#priv()}): where it is (a
 * slot, the run queue, neither), whether it wants to run, whether its domain's cap parked it, and
 * its links in the intrusive {@link RunQueue}. Subclasses add the algorithm's credit.
 *
 * <p>Thread safety: the scheduler's thread only.
 */
abstract class VcpuEntry
{
    final SchedVcpu vcpu;
    final DomainEntry domain;

    VcpuEntry prev;
    VcpuEntry next;
    boolean queued;

    boolean runnable;
    boolean parked;
    boolean yielding;
    int slot = -1;
    long runStartNs;
    long sliceStartNs;

    VcpuEntry(final SchedVcpu vcpu, final DomainEntry domain)
    {
        this.vcpu = vcpu;
        this.domain = domain;
    }

    /** @return whether it holds a slot. */
    boolean running()
    {
        return slot >= 0;
    }

    /** @return whether it is runnable, not parked, and neither running nor queued (so it belongs in the queue). */
    boolean waitingForQueue()
    {
        return runnable && !parked && slot < 0 && !queued;
    }
}
