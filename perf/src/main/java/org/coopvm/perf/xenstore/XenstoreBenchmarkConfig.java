package org.coopvm.perf.xenstore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What one {@code coop bench xenstore} run measures and for how long. Immutable; any thread.
 *
 * @param mode          {@code quick} or {@code default}, recorded in the report.
 * @param command       the command line, recorded in the report.
 * @param warmupOps     untimed operations before each measurement.
 * @param measuredOps   timed operations per operation and transport.
 * @param toolProcesses timed {@code xenstore-read}/{@code xenstore-write} processes each; 0 skips them.
 * @param timeout       longest one measurement may take.
 * @param runDir        where the run directory with the socket goes (tmpfs).
 */
public record XenstoreBenchmarkConfig(
    String mode,
    String command,
    int warmupOps,
    int measuredOps,
    int toolProcesses,
    Duration timeout,
    Path runDir)
{
    /** Default directory for the run directory: tmpfs. */
    public static final Path DEFAULT_RUN_DIR = Path.of("/dev/shm");

    /** Checks every part is present and the counts make sense. */
    public XenstoreBenchmarkConfig
    {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(runDir, "runDir");
        if (warmupOps < 0 || measuredOps < 1 || toolProcesses < 0)
        {
            throw new IllegalArgumentException("warm-up and tool processes must be >= 0, measured ops >= 1");
        }
    }

    /**
     * About 30 seconds on two cores.
     *
     * @param command the command line.
     * @return the configuration.
     */
    public static XenstoreBenchmarkConfig quick(final String command)
    {
        return new XenstoreBenchmarkConfig("quick", command, 50_000, 200_000, 40, Duration.ofSeconds(60), DEFAULT_RUN_DIR);
    }

    /**
     * About one to two minutes on two cores.
     *
     * @param command the command line.
     * @return the configuration.
     */
    public static XenstoreBenchmarkConfig standard(final String command)
    {
        return new XenstoreBenchmarkConfig("default", command, 100_000, 600_000, 200, Duration.ofSeconds(180),
            DEFAULT_RUN_DIR);
    }

    /**
     * @param directory where the run directory goes.
     * @return a copy with that directory.
     */
    public XenstoreBenchmarkConfig withRunDir(final Path directory)
    {
        return new XenstoreBenchmarkConfig(mode, command, warmupOps, measuredOps, toolProcesses, timeout, directory);
    }
}
