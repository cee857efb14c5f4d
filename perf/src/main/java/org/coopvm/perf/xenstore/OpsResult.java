package org.coopvm.perf.xenstore;

import org.HdrHistogram.Histogram;
import org.coopvm.perf.latency.RoundTripResult;

/**
 * Throughput and latency of one timed run of operations. Immutable; any thread.
 *
 * @param opsPerSecond measured operations divided by the time they took.
 * @param latency      per-operation latency percentiles.
 */
public record OpsResult(double opsPerSecond, RoundTripResult latency)
{
    /**
     * @param histogram per-operation latencies in nanoseconds.
     * @param elapsedNs wall time of the measured operations.
     * @return the result.
     */
    public static OpsResult of(final Histogram histogram, final long elapsedNs)
    {
        return new OpsResult(histogram.getTotalCount() * 1e9 / Math.max(1, elapsedNs), RoundTripResult.of(histogram));
    }
}
