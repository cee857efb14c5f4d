package org.coopvm.perf.xenstore;

import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Runs one blocking operation over and over: a warm-up, then measured operations, each timed
 * with {@code System.nanoTime} into an HdrHistogram. Stateless; the calling thread runs every
 * operation.
 */
final class OpsTimer
{
    private static final long HIGHEST_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(60);
    private static final int SIGNIFICANT_DIGITS = 3;

    /** One blocking request/reply operation. */
    @FunctionalInterface
    interface Op
    {
        /**
         * Runs the operation once and waits for its reply.
         *
         * @throws Exception when it fails; the measurement fails.
         */
        void run() throws Exception;
    }

    private OpsTimer()
    {
    }

    /**
     * @param op       the operation.
     * @param warmup   untimed operations first.
     * @param measured timed operations.
     * @param timeout  longest the whole run may take; checked between operations.
     * @return operations per second and latency percentiles of the measured operations.
     * @throws IllegalStateException when an operation fails or the run passes its timeout.
     */
    static OpsResult time(final Op op, final int warmup, final int measured, final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
        for (int i = 0; i < warmup; i++)
        {
            runOnce(op, deadline);
        }
        final long start = System.nanoTime();
        for (int i = 0; i < measured; i++)
        {
            final long before = System.nanoTime();
            runOnce(op, deadline);
            histogram.recordValue(Math.min(System.nanoTime() - before, HIGHEST_TRACKABLE_NS));
        }
        return OpsResult.of(histogram, System.nanoTime() - start);
    }

    private static void runOnce(final Op op, final long deadline)
    {
        try
        {
            op.run();
        }
        catch (final RuntimeException ex)
        {
            throw ex;
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex.getMessage(), ex);
        }
        if (System.nanoTime() - deadline > 0)
        {
            throw new IllegalStateException("timed out");
        }
    }
}
