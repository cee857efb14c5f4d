package org.coopvm.guest.swap;

import org.coopvm.guest.event.EventHandlers;
import org.coopvm.guest.hypercall.Hypercalls;
import org.coopvm.guest.task.Vcpu;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * How a thread waits for swap I/O, whose completions run on vCPU 0 (the disk's event channel is
 * bound there), as a Linux task sleeps in a page fault while interrupts go on:
 * <ul>
 *   <li>on vCPU 0 itself (a workload's step, the balloon driver's task) it runs vCPU 0's pending
 *       upcalls in place (so the completion can run) and otherwise sleeps in {@code SCHEDOP_poll}
 *       until an event or a short deadline: no CPU burnt, CPU slot given back;</li>
 *   <li>on another vCPU it gives its CPU slot back and parks; elsewhere it parks. The completion
 *       unparks the waiting thread ({@link #wake}); a short park slice covers conditions nobody
 *       signals (another thread's transfer ending).</li>
 * </ul>
 *
 * <p>Thread safety: any thread; {@link #await} must not be called from an event handler (its
 * nested dispatch would re-enter the dispatcher).
 */
final class SwapWait
{
    private static final int[] NO_PORTS = new int[0];
    private static final long POLL_SLICE_NS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long PARK_SLICE_NS = TimeUnit.MICROSECONDS.toNanos(200);

    private final EventHandlers events;
    private final Hypercalls hypercalls;

    SwapWait(final EventHandlers events, final Hypercalls hypercalls)
    {
        this.events = events;
        this.hypercalls = hypercalls;
    }

    /**
     * @param condition what to wait for.
     * @param timeoutNs the longest wait.
     * @return whether it holds.
     */
    boolean await(final BooleanSupplier condition, final long timeoutNs)
    {
        if (condition.getAsBoolean())
        {
            return true;
        }
        final Vcpu vcpu = Vcpu.current();
        final long deadlineNs = System.nanoTime() + timeoutNs;
        if (vcpu != null && vcpu.id() == 0)
        {
            return awaitOnVcpu0(condition, deadlineNs);
        }
        if (vcpu != null)
        {
            vcpu.releaseSlot();
        }
        try
        {
            return awaitParked(condition, deadlineNs);
        }
        finally
        {
            if (vcpu != null)
            {
                vcpu.reacquireSlot();
            }
        }
    }

    /** Wake a thread waiting in {@link #await} off vCPU 0 (any thread; harmless otherwise). */
    static void wake(final Thread waiter)
    {
        LockSupport.unpark(waiter);
    }

    private boolean awaitOnVcpu0(final BooleanSupplier condition, final long deadlineNs)
    {
        while (!condition.getAsBoolean())
        {
            final long nowNs = System.nanoTime();
            if (nowNs - deadlineNs >= 0)
            {
                return false;
            }
            if (events.isUpcallPending(0))
            {
                events.dispatch(0);
            }
            else
            {
                hypercalls.schedPoll(NO_PORTS, nowNs + Math.min(deadlineNs - nowNs, POLL_SLICE_NS));
            }
        }
        return true;
    }

    private static boolean awaitParked(final BooleanSupplier condition, final long deadlineNs)
    {
        while (!condition.getAsBoolean())
        {
            final long leftNs = deadlineNs - System.nanoTime();
            if (leftNs <= 0)
            {
                return false;
            }
            LockSupport.parkNanos(Math.min(leftNs, PARK_SLICE_NS));
        }
        return true;
    }
}
