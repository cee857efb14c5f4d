package org.coopvm.perf.balloon;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What one {@code coop bench balloon} run measures. Immutable; any thread.
 *
 * @param mode        {@code quick} or {@code default}, recorded in the report.
 * @param command     the command line, recorded in the report.
 * @param inflateMib  memory the balloon takes and gives back (and the size of each peer's call), MiB.
 * @param headroomMib memory the guest keeps while inflated, MiB: the domain has
 *                    {@code inflateMib + headroomMib}.
 * @param rounds      inflate/deflate cycles (and peer calls) measured; the report gives the median.
 * @param timeout     longest one inflate or deflate may take.
 * @param runDir      where the run directory and the memory files go (tmpfs).
 */
public record BalloonBenchmarkConfig(
    String mode,
    String command,
    int inflateMib,
    int headroomMib,
    int rounds,
    Duration timeout,
    Path runDir)
{
    /** Default directory for the run directory: tmpfs. */
    public static final Path DEFAULT_RUN_DIR = Path.of("/dev/shm");
    /** The amount: 1 GiB. */
    public static final int STANDARD_INFLATE_MIB = 1024;
    /** What the guest keeps while inflated. */
    public static final int STANDARD_HEADROOM_MIB = 64;

    /** Checks every part is present and the sizes fit one domain's memory region (below 2 GiB). */
    public BalloonBenchmarkConfig
    {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(runDir, "runDir");
        if (inflateMib < 1 || headroomMib < 1 || inflateMib + headroomMib > 2000 || rounds < 1)
        {
            throw new IllegalArgumentException("need inflateMib >= 1, headroomMib >= 1, their sum <= 2000 MiB, rounds >= 1: " +
                inflateMib + ", " + headroomMib + ", " + rounds);
        }
    }

    /**
     * One round of 1 GiB: a few seconds.
     *
     * @param command the command line.
     * @return the configuration.
     */
    public static BalloonBenchmarkConfig quick(final String command)
    {
        return new BalloonBenchmarkConfig("quick", command, STANDARD_INFLATE_MIB, STANDARD_HEADROOM_MIB, 1,
            Duration.ofSeconds(60), DEFAULT_RUN_DIR);
    }

    /**
     * Five rounds of 1 GiB: under a minute.
     *
     * @param command the command line.
     * @return the configuration.
     */
    public static BalloonBenchmarkConfig standard(final String command)
    {
        return new BalloonBenchmarkConfig("default", command, STANDARD_INFLATE_MIB, STANDARD_HEADROOM_MIB, 5,
            Duration.ofSeconds(120), DEFAULT_RUN_DIR);
    }

    /**
     * @param directory where the run directory goes.
     * @return a copy with that directory.
     */
    public BalloonBenchmarkConfig withRunDir(final Path directory)
    {
        return new BalloonBenchmarkConfig(mode, command, inflateMib, headroomMib, rounds, timeout, directory);
    }

    /** @return bytes inflated (and deflated) per round. */
    public long inflateBytes()
    {
        return inflateMib * 1024L * 1024L;
    }
}
