package org.coopvm.perf;

import org.coopvm.perf.latency.ChildJvm;
import org.coopvm.perf.latency.RoundTripPlan;
import org.coopvm.perf.throughput.ThroughputPlan;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What one ring benchmark run measures and for how long. Immutable; any thread.
 *
 * @param mode          {@code quick} or {@code default}, recorded in the report.
 * @param command       the command line, recorded in the report.
 * @param throughput    JMH iterations for the one-way throughput benchmarks.
 * @param threadRounds  round trips between two threads.
 * @param processRounds round trips between two processes.
 * @param spinningRounds interleaved rounds the spinning round trips are split into (see
 *                      {@link RingsBenchmark}); each round repeats the warm-up.
 * @param idleWait      how long the idle waiter waits on an empty transport.
 * @param runDir        where region files for two-process runs go (tmpfs).
 * @param jmhLog        where JMH's progress output goes.
 * @param childJvm      how to start the second JVM (and JMH's forks get its flags file).
 */
public record RingsBenchmarkConfig(
    String mode,
    String command,
    ThroughputPlan throughput,
    RoundTripPlan threadRounds,
    RoundTripPlan processRounds,
    int spinningRounds,
    Duration idleWait,
    Path runDir,
    Path jmhLog,
    ChildJvm childJvm)
{
    /** Default directory for region files: tmpfs. */
    public static final Path DEFAULT_RUN_DIR = Path.of("/dev/shm");
    /** How long the idle waiter waits, as the issue asks. */
    public static final Duration IDLE_WAIT = Duration.ofSeconds(2);

    /** Checks every part is present. */
    public RingsBenchmarkConfig
    {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(throughput, "throughput");
        Objects.requireNonNull(threadRounds, "threadRounds");
        Objects.requireNonNull(processRounds, "processRounds");
        if (spinningRounds < 1)
        {
            throw new IllegalArgumentException("spinningRounds must be >= 1: " + spinningRounds);
        }
        Objects.requireNonNull(idleWait, "idleWait");
        Objects.requireNonNull(runDir, "runDir");
        Objects.requireNonNull(jmhLog, "jmhLog");
        Objects.requireNonNull(childJvm, "childJvm");
    }

    /**
     * About a minute on two cores: short JMH iterations, tens of thousands of round trips.
     *
     * @param command  the command line.
     * @param jmhLog   where JMH's progress output goes.
     * @param childJvm how to start the second JVM.
     * @return the configuration.
     */
    public static RingsBenchmarkConfig quick(final String command, final Path jmhLog, final ChildJvm childJvm)
    {
        final RoundTripPlan rounds = new RoundTripPlan(10_000, 40_000, Duration.ofSeconds(60));
        return new RingsBenchmarkConfig("quick", command,
            new ThroughputPlan(1, 2, Duration.ofSeconds(1), 2, Duration.ofSeconds(1)),
            rounds, rounds, 2, IDLE_WAIT, DEFAULT_RUN_DIR, jmhLog, childJvm);
    }

    /**
     * A few minutes on two cores: longer JMH iterations, hundreds of thousands of round trips.
     *
     * @param command  the command line.
     * @param jmhLog   where JMH's progress output goes.
     * @param childJvm how to start the second JVM.
     * @return the configuration.
     */
    public static RingsBenchmarkConfig standard(final String command, final Path jmhLog, final ChildJvm childJvm)
    {
        final RoundTripPlan rounds = new RoundTripPlan(100_000, 300_000, Duration.ofSeconds(180));
        return new RingsBenchmarkConfig("default", command,
            new ThroughputPlan(1, 3, Duration.ofSeconds(2), 5, Duration.ofSeconds(2)),
            rounds, rounds, 5, IDLE_WAIT, DEFAULT_RUN_DIR, jmhLog, childJvm);
    }

    /**
     * @param directory where region files for two-process runs go.
     * @return a copy with that run directory.
     */
    public RingsBenchmarkConfig withRunDir(final Path directory)
    {
        return new RingsBenchmarkConfig(
            mode, command, throughput, threadRounds, processRounds, spinningRounds, idleWait, directory, jmhLog, childJvm);
    }
}
