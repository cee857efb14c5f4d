package org.coopvm.perf.sched;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What one {@code coop bench sched} run measures. Immutable; any thread.
 *
 * @param mode             {@code quick} or {@code default}, recorded in the report.
 * @param command          the command line, recorded in the report.
 * @param slots            physical CPU slots P of the hosts (the wake-up's free-slot peer gets more).
 * @param burners          busy {@code cpu-burn} guests next to the woken vCPU.
 * @param fairnessWarmup   run time before the fairness window (shares settle, JIT warms up).
 * @param fairnessWindow   the fairness window, per algorithm.
 * @param wakeWarmup       wake-ups before the measured ones start, as time.
 * @param wakeWindow       measured wake-ups, as time, per setup (all rounds together).
 * @param wakeRounds       rounds the wake-up setups take in turn (each boots its guests and warms up again).
 * @param overheadWarmup   run time before the overhead window.
 * @param overheadWindow   the overhead window, per algorithm.
 * @param adjustSamples    live adjusts timed (weight and slice alternately).
 * @param decisionRounds   timed rounds of the pure algorithms (the median counts), after one warm-up round.
 * @param decisionsPerRound decisions per round.
 * @param runDir           where the run directories go (tmpfs).
 */
public record SchedBenchmarkConfig(
    String mode,
    String command,
    int slots,
    int burners,
    Duration fairnessWarmup,
    Duration fairnessWindow,
    Duration wakeWarmup,
    Duration wakeWindow,
    int wakeRounds,
    Duration overheadWarmup,
    Duration overheadWindow,
    int adjustSamples,
    int decisionRounds,
    int decisionsPerRound,
    Path runDir)
{
    /** Default directory for the run directories: tmpfs. */
    public static final Path DEFAULT_RUN_DIR = Path.of("/dev/shm");
    /** Most slots and burners: more threads than this on a test machine measures nothing but Linux. */
    public static final int MAX_SLOTS = 64;
    /** Busy vCPUs of the overhead measurement (the figure). */
    public static final int OVERHEAD_VCPUS = 16;

    /** Checks every part is present and in range. */
    public SchedBenchmarkConfig
    {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(runDir, "runDir");
        checkRange("slots", slots, 1, MAX_SLOTS);
        checkRange("burners", burners, 1, MAX_SLOTS);
        for (final Duration d : new Duration[] {fairnessWarmup, fairnessWindow, wakeWarmup, wakeWindow, overheadWarmup, overheadWindow})
        {
            if (d.isNegative() || d.isZero())
            {
                throw new IllegalArgumentException("every duration must be positive: " + d);
            }
        }
        checkRange("wake rounds", wakeRounds, 1, 1000);
        checkRange("adjust samples", adjustSamples, 1, 100_000);
        checkRange("decision rounds", decisionRounds, 1, 1000);
        checkRange("decisions per round", decisionsPerRound, 1, 100_000_000);
    }

    /**
     * About ten seconds: every figure, from short windows.
     *
     * @param command the command line.
     * @param slots   the hosts' slots.
     * @param burners busy guests next to the woken vCPU.
     * @return the configuration.
     */
    public static SchedBenchmarkConfig quick(final String command, final int slots, final int burners)
    {
        return new SchedBenchmarkConfig("quick", command, slots, burners, Duration.ofMillis(300), Duration.ofMillis(1500),
            Duration.ofMillis(150), Duration.ofMillis(600), 2, Duration.ofMillis(300), Duration.ofMillis(700), 40, 2, 100_000,
            DEFAULT_RUN_DIR);
    }

    /**
     * About a minute.
     *
     * @param command the command line.
     * @param slots   the hosts' slots.
     * @param burners busy guests next to the woken vCPU.
     * @return the configuration.
     */
    public static SchedBenchmarkConfig standard(final String command, final int slots, final int burners)
    {
        return new SchedBenchmarkConfig("default", command, slots, burners, Duration.ofSeconds(1), Duration.ofSeconds(7),
            Duration.ofMillis(300), Duration.ofSeconds(4), 4, Duration.ofSeconds(1), Duration.ofSeconds(4), 400, 5, 400_000,
            DEFAULT_RUN_DIR);
    }

    /**
     * @param directory where the run directories go.
     * @return a copy with that directory.
     */
    public SchedBenchmarkConfig withRunDir(final Path directory)
    {
        return new SchedBenchmarkConfig(mode, command, slots, burners, fairnessWarmup, fairnessWindow, wakeWarmup, wakeWindow,
            wakeRounds, overheadWarmup, overheadWindow, adjustSamples, decisionRounds, decisionsPerRound, directory);
    }

    private static void checkRange(final String name, final int value, final int min, final int max)
    {
        if (value < min || value > max)
        {
            throw new IllegalArgumentException(name + " " + value + " outside " + min + ".." + max);
        }
    }
}
