package org.coopvm.perf.latency;

import java.time.Duration;
import java.util.Objects;

/**
 * How many round trips to make: a warm-up whose times are thrown away, then the measured ones.
 * Immutable; any thread.
 *
 * @param warmupRoundTrips   round trips before measuring, for the JIT and caches.
 * @param measuredRoundTrips round trips recorded in the histogram.
 * @param timeout            how long the whole exchange may take before the peer counts as gone.
 * @param sliceGap           busy pause of the initiator after every {@link #SLICE} measured round
 *                           trips, so that one measurement samples the machine over a longer
 *                           time (zero: none).
 */
public record RoundTripPlan(int warmupRoundTrips, int measuredRoundTrips, Duration timeout, Duration sliceGap)
{
    /** Measured round trips between two slice gaps. */
    public static final int SLICE = 1000;

    /**
     * A plan without slice gaps.
     *
     * @param warmupRoundTrips   round trips before measuring.
     * @param measuredRoundTrips round trips recorded in the histogram.
     * @param timeout            how long the whole exchange may take.
     */
    public RoundTripPlan(final int warmupRoundTrips, final int measuredRoundTrips, final Duration timeout)
    {
        this(warmupRoundTrips, measuredRoundTrips, timeout, Duration.ZERO);
    }

    /** Checks the counts are sensible. */
    public RoundTripPlan
    {
        if (warmupRoundTrips < 0 || measuredRoundTrips <= 0)
        {
            throw new IllegalArgumentException(
                "warmupRoundTrips must be >= 0 and measuredRoundTrips > 0: " + warmupRoundTrips + ", " + measuredRoundTrips);
        }
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(sliceGap, "sliceGap");
    }

    /**
     * @param gap the busy pause after every {@link #SLICE} measured round trips.
     * @return a copy with that gap.
     */
    public RoundTripPlan withSliceGap(final Duration gap)
    {
        return new RoundTripPlan(warmupRoundTrips, measuredRoundTrips, timeout, gap);
    }

    /** @return warm-up plus measured round trips: how many messages the responder echoes. */
    public int totalRoundTrips()
    {
        return warmupRoundTrips + measuredRoundTrips;
    }
}
