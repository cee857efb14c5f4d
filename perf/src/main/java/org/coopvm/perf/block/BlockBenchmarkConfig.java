package org.coopvm.perf.block;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What one {@code coop bench block} run measures. Immutable; any thread.
 *
 * @param mode          {@code quick} or {@code default}, recorded in the report.
 * @param command       the command line, recorded in the report.
 * @param imageMib      size of the image file (filled with data before the first measurement).
 * @param measurement   how long each measurement runs.
 * @param warmUpRounds  rounds run first and not counted (the JIT compiles the guest's and dom0's
 *                      paths during the first one; fio's {@code ramp_time}, JMH's warm-up).
 * @param rounds        measurements of each case; the report gives the median.
 * @param randomQd      requests the guest keeps in flight for 4 KiB random I/O.
 * @param sequentialQd  requests the guest keeps in flight for 64 KiB sequential I/O.
 * @param runDir        where the run directory, the domain's files and the image go (tmpfs).
 */
public record BlockBenchmarkConfig(
    String mode,
    String command,
    int imageMib,
    Duration measurement,
    int warmUpRounds,
    int rounds,
    int randomQd,
    int sequentialQd,
    Path runDir)
{
    /** Default directory for the run directory: tmpfs. */
    public static final Path DEFAULT_RUN_DIR = Path.of("/dev/shm");

    /** Checks every part is present and in range. */
    public BlockBenchmarkConfig
    {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(measurement, "measurement");
        Objects.requireNonNull(runDir, "runDir");
        if (imageMib < 16 || imageMib > 4096 || warmUpRounds < 0 || rounds < 1 || randomQd < 1 || sequentialQd < 1 || measurement.isNegative() ||
            measurement.isZero())
        {
            throw new IllegalArgumentException("need an image of 16..4096 MiB, warm-up rounds >= 0, rounds >= 1, queue depths >= 1, " +
                "a positive measurement time: " + imageMib + ", " + warmUpRounds + ", " + rounds + ", " + randomQd + ", " + sequentialQd + ", " + measurement);
        }
    }

    /**
     * One round of one second per case, no warm-up: about fifteen seconds.
     *
     * @param command the command line.
     * @return the configuration.
     */
    public static BlockBenchmarkConfig quick(final String command)
    {
        return new BlockBenchmarkConfig("quick", command, 128, Duration.ofSeconds(1), 0, 1, 32, 16, DEFAULT_RUN_DIR);
    }

    /**
     * A warm-up round, then three rounds of two seconds per case: about a minute and a quarter.
     *
     * @param command the command line.
     * @return the configuration.
     */
    public static BlockBenchmarkConfig standard(final String command)
    {
        return new BlockBenchmarkConfig("default", command, 256, Duration.ofSeconds(2), 1, 3, 32, 16, DEFAULT_RUN_DIR);
    }

    /**
     * @param directory where the run directory goes.
     * @return a copy with that directory.
     */
    public BlockBenchmarkConfig withRunDir(final Path directory)
    {
        return new BlockBenchmarkConfig(mode, command, imageMib, measurement, warmUpRounds, rounds, randomQd, sequentialQd, directory);
    }
}
