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
 */
public record RoundTripPlan(int warmupRoundTrips, int measuredRoundTrips, Duration timeout)
{
    /** Checks the counts are sensible. */
    public RoundTripPlan
    {
        if (warmupRoundTrips < 0 || measuredRoundTrips <= 0)
        {
            throw new IllegalArgumentException(
                "warmupRoundTrips must be >= 0 and measuredRoundTrips > 0: " + warmupRoundTrips + ", " + measuredRoundTrips);
        }
        Objects.requireNonNull(timeout, "timeout");
    }

    /** @return warm-up plus measured round trips: how many messages the responder echoes. */
    public int totalRoundTrips()
    {
        return warmupRoundTrips + measuredRoundTrips;
    }
}
