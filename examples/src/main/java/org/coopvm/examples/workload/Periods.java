package org.coopvm.examples.workload;

import java.util.concurrent.TimeUnit;

/**
 * Deadlines of periodic work (publishing, logging) that keep their phase but never pile up
 * after a stall.
 */
final class Periods
{
    private Periods()
    {
    }

    /**
     * @param deadlineNs the deadline that just passed.
     * @param periodMs   the period.
     * @param nowNs      now.
     * @return the deadline after it, or one period from now when the work fell more than a period behind.
     */
    static long next(final long deadlineNs, final long periodMs, final long nowNs)
    {
        final long periodNs = TimeUnit.MILLISECONDS.toNanos(periodMs);
        final long next = deadlineNs + periodNs;
        return next - nowNs > 0 ? next : nowNs + periodNs;
    }
}
