package org.coopvm.perf.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Where and how a benchmark run took place. Immutable; any thread.
 *
 * @param startedAt           when the run started.
 * @param elapsed             how long it took.
 * @param command             the command line that ran it, for the README and for reruns.
 * @param mode                {@code quick} or {@code default}.
 * @param availableProcessors CPUs the JVM saw.
 * @param os                  operating system name, version and architecture.
 * @param jvm                 JVM vendor and version.
 * @param notes               how each subject was set up (idle strategies, sizes, counts).
 * @param failures            measurements that failed, with the reason; their figures are missing.
 */
public record RunInfo(
    Instant startedAt,
    Duration elapsed,
    String command,
    String mode,
    int availableProcessors,
    String os,
    String jvm,
    List<String> notes,
    List<String> failures)
{
    /** Checks that every part is present and copies the notes. */
    public RunInfo
    {
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(jvm, "jvm");
        notes = List.copyOf(notes);
        failures = List.copyOf(failures);
    }

    /**
     * @param startedAt when the run started.
     * @param elapsed   how long it took.
     * @param command   the command line.
     * @param mode      {@code quick} or {@code default}.
     * @param notes     how each subject was set up.
     * @param failures  measurements that failed, with the reason.
     * @return run information describing this JVM and machine.
     */
    public static RunInfo ofThisMachine(
        final Instant startedAt, final Duration elapsed, final String command, final String mode, final List<String> notes,
        final List<String> failures)
    {
        final String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " " +
            System.getProperty("os.arch");
        final String jvm = System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " " +
            Runtime.version();
        return new RunInfo(startedAt, elapsed, command, mode, Runtime.getRuntime().availableProcessors(), os, jvm, notes, failures);
    }
}
