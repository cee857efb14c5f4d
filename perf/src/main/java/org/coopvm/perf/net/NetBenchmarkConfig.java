package org.coopvm.perf.net;

import org.coopvm.perf.latency.ChildJvm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What one {@code coop bench net} run measures. Immutable; any thread.
 *
 * @param mode             {@code quick} or {@code default}, recorded in the report.
 * @param command          the command line, recorded in the report.
 * @param streamSeconds    how long the sending guest streams ({@code net-stream}'s {@code seconds}).
 * @param omitSeconds      seconds at the stream's start not counted in its figure (iperf3's {@code --omit}:
 *                         the guests' JITs compile the data path then); less than {@code streamSeconds}.
 * @param pingPongMessages round trips between the guests ({@code net-pingpong}'s {@code messages}).
 * @param ringRoundTrips   measured round trips of the raw ring (as many again warm it up).
 * @param memcpy           how long the memcpy runs.
 * @param rounds           measurements of each figure; the report gives the median.
 * @param runDir           where the run directories and the guests' files go (tmpfs).
 * @param childJvm         how to start the guest and ring JVMs.
 */
public record NetBenchmarkConfig(
    String mode,
    String command,
    int streamSeconds,
    int omitSeconds,
    int pingPongMessages,
    int ringRoundTrips,
    Duration memcpy,
    int rounds,
    Path runDir,
    ChildJvm childJvm)
{
    /** Default directory for the run directories: tmpfs. */
    public static final Path DEFAULT_RUN_DIR = Path.of("/dev/shm");

    /** Checks every part is present and in range. */
    public NetBenchmarkConfig
    {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(memcpy, "memcpy");
        Objects.requireNonNull(runDir, "runDir");
        Objects.requireNonNull(childJvm, "childJvm");
        if (streamSeconds < 1 || streamSeconds > 600 || omitSeconds < 0 || omitSeconds >= streamSeconds || pingPongMessages < 1 || ringRoundTrips < 1 || rounds < 1 ||
            memcpy.isNegative() || memcpy.isZero())
        {
            throw new IllegalArgumentException("need a stream of 1..600 s omitting fewer seconds than it lasts, at least one round " +
                "trip of each kind, rounds >= 1, a positive memcpy time: " + streamSeconds + ", " + omitSeconds + ", " + pingPongMessages + ", " + ringRoundTrips + ", " + rounds + ", " +
                memcpy);
        }
    }

    /**
     * One round: a one-second stream, 2,000 guest round trips, 20,000 ring round trips (about twenty seconds).
     *
     * @param command  the command line.
     * @param childJvm how to start child JVMs.
     * @return the configuration.
     */
    public static NetBenchmarkConfig quick(final String command, final ChildJvm childJvm)
    {
        return new NetBenchmarkConfig("quick", command, 1, 0, 2_000, 20_000, Duration.ofMillis(500), 1, DEFAULT_RUN_DIR, childJvm);
    }

    /**
     * Three rounds of a seven-second stream (its first two seconds not counted), 20,000 guest round trips and 200,000 ring round trips (about a minute and a half).
     *
     * @param command  the command line.
     * @param childJvm how to start child JVMs.
     * @return the configuration.
     */
    public static NetBenchmarkConfig standard(final String command, final ChildJvm childJvm)
    {
        return new NetBenchmarkConfig("default", command, 7, 2, 20_000, 200_000, Duration.ofSeconds(2), 3, DEFAULT_RUN_DIR, childJvm);
    }

    /**
     * @param directory where the run directories go.
     * @return a copy with that directory.
     */
    public NetBenchmarkConfig withRunDir(final Path directory)
    {
        return new NetBenchmarkConfig(mode, command, streamSeconds, omitSeconds, pingPongMessages, ringRoundTrips, memcpy, rounds, directory,
            childJvm);
    }
}
