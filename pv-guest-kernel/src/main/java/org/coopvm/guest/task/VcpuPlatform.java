package org.coopvm.guest.task;

import org.coopvm.rings.doorbell.WaitResult;
import org.coopvm.rings.doorbell.WakeCondition;

/**
 * What a {@link Vcpu} needs from the world outside its run queue: event upcalls, the safe-point
 * hook, a way to sleep and be woken, and the host's physical CPU slots (a vCPU runs upcalls and
 * task steps only while it holds one). The guest kernel implements it over shared info, the
 * vCPU's response channel doorbell and its vcpu_info slot words; {@link LocalVcpuPlatform} is a
 * stand-alone one (no slots: the slot methods' defaults say "always held").
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
     * The vCPU's thread starts (before its first duty cycle): the kernel publishes the thread's
     * native id for the host's CPU accounting.
     *
     * @param vcpu the vCPU id.
     */
    default void onThreadStart(final int vcpu)
    {
    }

    /**
     * Make sure the vCPU holds a CPU slot before it runs upcalls or a task step: when it holds
     * none, ask the host for one and sleep until it is granted.
     *
     * @param vcpu  the vCPU id.
     * @param abort ends the wait early (the vCPU stops); it is re-checked after every wake.
     * @return whether the vCPU holds a slot (false: aborted, or the host is gone).
     */
    default boolean acquireSlot(final int vcpu, final WakeCondition abort)
    {
        return true;
    }

    /**
     * Give the vCPU's slot back (if it holds one) and say what it wants next.
     *
     * @param vcpu    the vCPU id.
     * @param request one of {@code VcpuInfoDescriptor.SLOT_REQUEST_IDLE} (nothing to run),
     *                {@code SLOT_REQUEST_RUNNABLE} (preempted, more work) and {@code SLOT_REQUEST_YIELD}.
     */
    default void releaseSlot(final int vcpu, final int request)
    {
    }

    /**
     * @param vcpu the vCPU id.
     * @return whether the vCPU holds a slot and the host asks for it back (the preempt flag).
     */
    default boolean isPreemptRequested(final int vcpu)
    {
        return false;
    }

    /**
     * The safe point between task steps: when the host asks for the slot back (the preempt flag),
     * the vCPU gives it back here and stays runnable.
     *
     * @param vcpu the vCPU id.
     */
    void safePoint(int vcpu);

    /**
     * Sleep until {@code condition} holds, {@code timeoutNs} passes or the host is gone. The
     * condition includes {@link #hasExternalWork(int)} and the vCPU's local work. A vCPU with
     * nothing to run gives its slot back first.
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
