package org.coopvm.perf.throughput;

import java.time.Duration;
import java.util.Objects;

/**
 * How long JMH measures each throughput benchmark. Immutable; any thread.
 *
 * @param forks                 JVM forks per benchmark.
 * @param warmupIterations      iterations thrown away.
 * @param warmupTime            length of each warm-up iteration.
 * @param measurementIterations iterations measured.
 * @param measurementTime       length of each measured iteration.
 */
public record ThroughputPlan(
    int forks, int warmupIterations, Duration warmupTime, int measurementIterations, Duration measurementTime)
{
    /** Checks the counts are sensible. */
    public ThroughputPlan
    {
        if (forks < 1 || warmupIterations < 0 || measurementIterations < 1)
        {
            throw new IllegalArgumentException("need forks >= 1, warmupIterations >= 0, measurementIterations >= 1");
        }
        Objects.requireNonNull(warmupTime, "warmupTime");
        Objects.requireNonNull(measurementTime, "measurementTime");
    }
}
