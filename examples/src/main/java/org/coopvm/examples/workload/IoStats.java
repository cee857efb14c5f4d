package org.coopvm.examples.workload;

import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What {@code disk-bench} measures: request latencies (submit to completion, 1 us to 60 s at 3
 * significant digits) in one histogram since start and one per report window, with the operations,
 * bytes and errors of each, and the figures derived from them (IOPS, MB/s with MB = 10^6 bytes,
 * percentiles in microseconds).
 *
 * <p>Thread safety: one caller at a time (the workload's vCPU).
 */
final class IoStats
{
    private static final long LOWEST_NS = 1_000;
    private static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(60);

    private final Histogram total = new Histogram(LOWEST_NS, HIGHEST_NS, 3);
    private final Histogram window = new Histogram(LOWEST_NS, HIGHEST_NS, 3);
    private final long startNs;
    private long windowStartNs;
    private long totalBytes;
    private long windowBytes;
    private long errors;
    private long endNs;

    IoStats(final long startNs)
    {
        this.startNs = startNs;
        this.windowStartNs = startNs;
    }

    /**
     * @param latencyNs submit to completion.
     * @param bytes     bytes moved.
     * @param status    the completion status (non-zero: an error, counted).
     */
    void record(final long latencyNs, final int bytes, final int status)
    {
        final long clamped = Math.clamp(latencyNs, LOWEST_NS, HIGHEST_NS);
        total.recordValue(clamped);
        window.recordValue(clamped);
        totalBytes += bytes;
        windowBytes += bytes;
        if (status != 0)
        {
            errors++;
        }
    }

    /** @param nowNs when the run ended (the last completion): the totals' elapsed time stops there. */
    void end(final long nowNs)
    {
        endNs = nowNs;
    }

    /**
     * The flush after the last write completed: the run's elapsed time includes it.
     *
     * @param nowNs  when it completed.
     * @param status its status (non-zero: an error, counted).
     */
    void flushed(final long nowNs, final int status)
    {
        endNs = nowNs;
        if (status != 0)
        {
            errors++;
        }
    }

    long operations()
    {
        return total.getTotalCount();
    }

    long errors()
    {
        return errors;
    }

    /**
     * The figures published under {@code data/disk-bench/}: the window's and the total's
     * (prefixed {@code total-}) {@code ops}, {@code iops}, {@code mb-s}, {@code p50-us},
     * {@code p99-us}, {@code p999-us}, {@code max-us}, and {@code errors}; then a new window begins.
     *
     * @param nowNs now.
     * @return node name to decimal value.
     */
    Map<String, String> drainFigures(final long nowNs)
    {
        final Map<String, String> figures = new LinkedHashMap<>();
        put(figures, "", window, windowBytes, nowNs - windowStartNs);
        put(figures, "total-", total, totalBytes, elapsedNs(nowNs));
        figures.put("errors", Long.toString(errors));
        window.reset();
        windowBytes = 0;
        windowStartNs = nowNs;
        return figures;
    }

    /** @return the whole run in one line for the console. */
    String summary(final long nowNs)
    {
        final long elapsedNs = elapsedNs(nowNs);
        return String.format(Locale.ROOT, "%d ops in %.1f s: %d IOPS, %.1f MB/s, latency p50 %d us, p99 %d us, p99.9 %d us, max %d us, %d errors",
            total.getTotalCount(), elapsedNs / 1e9, perSecond(total.getTotalCount(), elapsedNs),
            megabytesPerSecond(totalBytes, elapsedNs), micros(total, 50), micros(total, 99), micros(total, 99.9),
            TimeUnit.NANOSECONDS.toMicros(total.getMaxValue()), errors);
    }

    private long elapsedNs(final long nowNs)
    {
        return (endNs != 0 ? endNs : nowNs) - startNs;
    }

    private static void put(final Map<String, String> figures, final String prefix, final Histogram histogram, final long bytes,
        final long elapsedNs)
    {
        figures.put(prefix + "ops", Long.toString(histogram.getTotalCount()));
        figures.put(prefix + "iops", Long.toString(perSecond(histogram.getTotalCount(), elapsedNs)));
        figures.put(prefix + "mb-s", String.format(Locale.ROOT, "%.1f", megabytesPerSecond(bytes, elapsedNs)));
        figures.put(prefix + "p50-us", Long.toString(micros(histogram, 50)));
        figures.put(prefix + "p99-us", Long.toString(micros(histogram, 99)));
        figures.put(prefix + "p999-us", Long.toString(micros(histogram, 99.9)));
        figures.put(prefix + "max-us", Long.toString(TimeUnit.NANOSECONDS.toMicros(histogram.getMaxValue())));
    }

    private static long perSecond(final long count, final long elapsedNs)
    {
        return elapsedNs <= 0 ? 0 : (long)(count * 1e9 / elapsedNs);
    }

    private static double megabytesPerSecond(final long bytes, final long elapsedNs)
    {
        return elapsedNs <= 0 ? 0 : bytes * 1e3 / elapsedNs;
    }

    private static long micros(final Histogram histogram, final double percentile)
    {
        return TimeUnit.NANOSECONDS.toMicros(histogram.getValueAtPercentile(percentile));
    }
}
