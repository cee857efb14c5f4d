package org.coopvm.examples.workload;

import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Response times of the {@code latency-probe}: one histogram since start and one for the current
 * report window, 1 us to 60 s at 3 significant digits, and the figures a report publishes.
 *
 * <p>Thread safety: one caller at a time (the probe's task).
 */
final class ResponseTimes
{
    private static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(60);

    private final Histogram total = new Histogram(1_000, HIGHEST_NS, 3);
    private final Histogram window = new Histogram(1_000, HIGHEST_NS, 3);

    /** @param responseNs one request's time from arrival to answer. */
    void record(final long responseNs)
    {
        final long clamped = Math.clamp(responseNs, 1_000, HIGHEST_NS);
        total.recordValue(clamped);
        window.recordValue(clamped);
    }

    /** @return answers since start. */
    long count()
    {
        return total.getTotalCount();
    }

    /**
     * The figures published under {@code data/latency-probe/}: the window's and the total's
     * count, p50, p99 and max in microseconds; then a new window begins.
     *
     * @return node name to decimal value.
     */
    Map<String, String> drainFigures()
    {
        final Map<String, String> figures = new LinkedHashMap<>();
        put(figures, "", window);
        put(figures, "total-", total);
        window.reset();
        return figures;
    }

    /** @return the total's summary for the console. */
    String summary()
    {
        return total.getTotalCount() + " answers, response p50 " + micros(total, 50) + " us, p99 " + micros(total, 99) +
            " us, p99.9 " + micros(total, 99.9) + " us, max " + TimeUnit.NANOSECONDS.toMicros(total.getMaxValue()) + " us";
    }

    private static void put(final Map<String, String> figures, final String prefix, final Histogram histogram)
    {
        figures.put(prefix + "requests", Long.toString(histogram.getTotalCount()));
        figures.put(prefix + "p50-us", Long.toString(micros(histogram, 50)));
        figures.put(prefix + "p99-us", Long.toString(micros(histogram, 99)));
        figures.put(prefix + "max-us", Long.toString(TimeUnit.NANOSECONDS.toMicros(histogram.getMaxValue())));
    }

    private static long micros(final Histogram histogram, final double percentile)
    {
        return TimeUnit.NANOSECONDS.toMicros(histogram.getValueAtPercentile(percentile));
    }
}
