package org.coopvm.hypervisor.hypercall;

import org.coopvm.hypervisor.domain.Domain;

import java.util.PriorityQueue;

/**
 * The hypervisor's timers (vCPU singleshot and periodic timers, poll timeouts, watchdogs) in
 * deadline order. Cancelling is lazy: each timer carries the generation it was armed with, and
 * the owner ignores a timer whose generation is stale when it fires.
 *
 * <p>Thread safety: under the hypervisor lock.
 */
final class TimerQueue
{
    /** What a timer is for. */
    enum Kind
    {
        SINGLESHOT, PERIODIC, POLL_TIMEOUT, WATCHDOG
    }

    /**
     * @param deadlineNs when, host clock.
     * @param kind       what for.
     * @param domain     whose.
     * @param index      the vCPU, or the watchdog slot.
     * @param generation the owner's generation when armed.
     * @param sequence   FIFO order among equal deadlines.
     */
    record Timer(long deadlineNs, Kind kind, Domain domain, int index, long generation, long sequence)
    {
    }

    /** Receives expired timers. */
    @FunctionalInterface
    interface Expiry
    {
        void onExpired(Timer timer, long nowNs);
    }

    private final PriorityQueue<Timer> queue = new PriorityQueue<>((a, b) ->
        a.deadlineNs != b.deadlineNs ? Long.compare(a.deadlineNs, b.deadlineNs) : Long.compare(a.sequence, b.sequence));
    private long sequence;

    void schedule(final long deadlineNs, final Kind kind, final Domain domain, final int index, final long generation)
    {
        queue.add(new Timer(deadlineNs, kind, domain, index, generation, sequence++));
    }

    /**
     * Hand every timer due at {@code nowNs} to {@code expiry} (which may schedule more).
     *
     * @return timers expired.
     */
    int poll(final long nowNs, final Expiry expiry)
    {
        int expired = 0;
        while (!queue.isEmpty() && queue.peek().deadlineNs - nowNs <= 0)
        {
            final Timer timer = queue.poll();
            if (!timer.domain().isDying())
            {
                expiry.onExpired(timer, nowNs);
                expired++;
            }
        }
        return expired;
    }

    /** @return the earliest deadline, or {@code Long.MAX_VALUE} when none. */
    long nextDeadlineNs()
    {
        final Timer head = queue.peek();
        return head == null ? Long.MAX_VALUE : head.deadlineNs;
    }

    /** Drop the timers of a domain being destroyed. */
    void removeAll(final Domain domain)
    {
        queue.removeIf(timer -> timer.domain() == domain);
    }

    int size()
    {
        return queue.size();
    }
}
