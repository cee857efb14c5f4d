package org.coopvm.hypervisor.domain;

import org.coopvm.rings.domain.Runstate;

/**
 * What the hypervisor's core tells the CPU scheduler about vCPUs, and asks it: the scheduler is
 * the only writer of runstates, so up/down and waits in SCHEDOP_block/poll go through here.
 *
 * <p>Thread safety: called under the hypervisor lock (the dispatcher thread or an API thread);
 * implementations take their own lock inside it, never the other way round.
 */
public interface VcpuScheduling
{
    /**
     * A vCPU went up or down (VCPUOP_up/down).
     *
     * @param domain the domain.
     * @param vcpu   the vCPU.
     * @param online up or down.
     */
    void vcpuOnline(Domain domain, int vcpu, boolean online);

    /**
     * A vCPU waits in SCHEDOP_block or SCHEDOP_poll (blocked; a slot it still holds is taken back).
     *
     * @param domain the domain.
     * @param vcpu   the vCPU.
     */
    void waitBegins(Domain domain, int vcpu);

    /**
     * Its wait was answered.
     *
     * @param domain the domain.
     * @param vcpu   the vCPU.
     */
    void waitEnds(Domain domain, int vcpu);

    /**
     * SCHEDOP_yield or CoopVM's directed yield: remembered until the vCPU gives its slot back.
     *
     * @param domain the domain.
     * @param vcpu   the yielding vCPU.
     * @param target the vCPU of the same domain to run next, or -1 for a plain yield.
     * @return 0, {@code -ENOENT} for a target the domain does not have, {@code -EINVAL} for itself.
     */
    long yield(Domain domain, int vcpu, int target);

    /**
     * CoopVM's SCHEDOP_coop_slice: the guest asks for a shorter slice for its whole domain (a
     * latency-sensitive guest), never longer than the slice the toolstack configured, or 0 to go
     * back to that one. Kept until the guest asks again; a later change of the configured slice
     * bounds it again.
     *
     * @param domain  the domain.
     * @param vcpu    the vCPU that asks.
     * @param sliceMs 1..the configured slice, or 0.
     * @return the slice in effect now, ms (> 0); {@code -EINVAL} for a value outside 0..the configured slice.
     */
    long requestSlice(Domain domain, int vcpu, int sliceMs);

    /**
     * A consistent copy of a vCPU's runstate from the scheduler's books (not from the guest-writable
     * shared info): state, entry time and the time in each state up to the last change.
     *
     * @param domain the domain.
     * @param vcpu   the vCPU.
     * @param into   where to copy.
     */
    void runstate(Domain domain, int vcpu, Runstate.RunstateSnapshot into);
}
