package org.coopvm.perf.latency;

import org.HdrHistogram.Histogram;

/**
 * Round-trip time percentiles of one measurement, in nanoseconds. Immutable; any thread.
 *
 * @param roundTrips how many round trips were recorded.
 * @param p50Ns      median.
 * @param p99Ns      99th percentile.
 * @param p999Ns     99.9th percentile.
 * @param maxNs      slowest.
 */
public record RoundTripResult(long roundTrips, long p50Ns, long p99Ns, long p999Ns, long maxNs)
{
    /**
     * @param histogram recorded round-trip times in nanoseconds.
     * @return its percentiles.
     */
    public static RoundTripResult of(final Histogram histogram)
    {
        return new RoundTripResult(histogram.getTotalCount(), histogram.getValueAtPercentile(50.0),
            histogram.getValueAtPercentile(99.0), histogram.getValueAtPercentile(99.9), histogram.getMaxValue());
    }
}
