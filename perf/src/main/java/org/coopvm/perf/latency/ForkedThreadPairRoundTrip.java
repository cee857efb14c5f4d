package org.coopvm.perf.latency;

import org.HdrHistogram.Histogram;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Measures round trips between two threads of a fresh JVM ({@link RoundTripForkMain}), which
 * hands its histogram back: the measurement runs on code the JIT profiled for this transport
 * only, as a JMH fork. The child is always destroyed and its files deleted. Stateless; blocks
 * the calling thread for the whole measurement.
 */
public final class ForkedThreadPairRoundTrip
{
    private static final Duration EXIT_GRACE = Duration.ofSeconds(10);

    private ForkedThreadPairRoundTrip()
    {
    }

    /**
     * Run the measurement in a fork and take its histogram back.
     *
     * @param variant  what carries the messages.
     * @param plan     counts and timeout.
     * @param childJvm how to start the fork.
     * @param runDir   where the fork writes its histogram.
     * @return the measured round-trip times in nanoseconds.
     * @throws IllegalStateException when the fork fails to start, fails, or times out.
     */
    public static Histogram record(
        final PingPongVariant variant, final RoundTripPlan plan, final ChildJvm childJvm, final Path runDir)
    {
        final Path prefix = runDir.resolve("coop-bench-rtt-" + ProcessHandle.current().pid() + "-" + variant.id() +
            "-threads");
        final Path log = prefix.resolveSibling(prefix.getFileName() + ".log");
        final Path histogram = RoundTripForkMain.histogramFile(prefix);
        Process fork = null;
        try
        {
            fork = ChildProcesses.start(childJvm, RoundTripForkMain.class,
                RoundTripForkMain.args(RoundTripForkMain.THREADS, variant, prefix, plan), log);
            ChildProcesses.awaitSuccess(fork, "round-trip fork",
                ChildProcesses.STARTUP_TIMEOUT.plus(plan.timeout()).plus(EXIT_GRACE), log);
            return RoundTripForkMain.readHistogram(histogram);
        }
        finally
        {
            ChildProcesses.destroy(fork);
            ChildProcesses.deleteQuietly(histogram);
            ChildProcesses.deleteQuietly(log);
        }
    }
}
