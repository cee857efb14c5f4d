package org.coopvm.guest.task;

import org.coopvm.rings.doorbell.WaitResult;
import org.coopvm.rings.doorbell.WakeCondition;

/**
 * What a {@link Vcpu} needs from the world outside its run queue: event upcalls, the safe-point
 * hook, and a way to sleep and be woken. The guest kernel implements it over shared info and the
 * vCPU's response channel doorbell; {@link LocalVcpuPlatform} is a stand-alone one.
 *
 * <p>Thread safety: {@link #kick(int)} from any thread; the rest only on vCPU {@code vcpu}'s thread.
 */
public interface VcpuPlatform
{
    /**
     * @param vcpu the vCPU id.
     * @return whether external work waits (an upcall pending, a stray message): a plain check, no side effects.
     */
    boolean hasExternalWork(int vcpu);

    /**
     * Handle external work: dispatch pending event upcalls to their handlers.
     *
     * @param vcpu the vCPU id.
     * @return work done (events dispatched), 0 when none.
     */
    int doExternalWork(int vcpu);

    /**
     * The safe point between task steps (the scheduler checks its preempt flag here).
     *
     * @param vcpu the vCPU id.
     */
    void safePoint(int vcpu);

    /**
     * Sleep until {@code condition} holds, {@code timeoutNs} passes or the host is gone. The
     * condition includes {@link #hasExternalWork(int)} and the vCPU's local work.
     *
     * @param vcpu      the vCPU id.
     * @param condition the wake condition.
     * @param timeoutNs the longest sleep; {@link Long#MAX_VALUE} for none.
     * @return READY, TIMED_OUT or PEER_GONE (the host is gone).
     */
    WaitResult idle(int vcpu, WakeCondition condition, long timeoutNs);

    /**
     * Wake vCPU {@code vcpu} if it sleeps in {@link #idle}: called after queueing local work from
     * another thread.
     *
     * @param vcpu the vCPU id.
     */
    void kick(int vcpu);
}
