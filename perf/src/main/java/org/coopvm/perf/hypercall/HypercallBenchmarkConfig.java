package org.coopvm.perf.hypercall;

import org.coopvm.perf.latency.ChildJvm;
import org.coopvm.perf.latency.RoundTripPlan;
import org.coopvm.perf.report.WaitMode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one {@code coop bench hypercalls} run measures and for how long. Immutable; any thread.
 *
 * @param mode       {@code quick} or {@code default}, recorded in the report.
 * @param command    the command line, recorded in the report.
 * @param hypercalls null hypercalls per wait mode.
 * @param events     event channel round trips per wait mode.
 * @param rings      raw ring round trips per transport and wait mode.
 * @param waitModes  the wait modes to measure, in order.
 * @param runDir     where run directories and region files go (tmpfs).
 * @param childJvm   how to start the guest and responder JVMs.
 */
public record HypercallBenchmarkConfig(
    String mode,
    String command,
    RoundTripPlan hypercalls,
    RoundTripPlan events,
    RoundTripPlan rings,
    List<WaitMode> waitModes,
    Path runDir,
    ChildJvm childJvm)
{
    /** Default directory for run directories: tmpfs. */
    public static final Path DEFAULT_RUN_DIR = Path.of("/dev/shm");

    /** Checks every part is present and copies the wait modes. */
    public HypercallBenchmarkConfig
    {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(hypercalls, "hypercalls");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(rings, "rings");
        waitModes = List.copyOf(waitModes);
        Objects.requireNonNull(runDir, "runDir");
        Objects.requireNonNull(childJvm, "childJvm");
    }

    /**
     * About a minute on two cores: about a hundred thousand calls and round trips, tens of thousands of events, per wait mode.
     *
     * @param command  the command line.
     * @param childJvm how to start child JVMs.
     * @return the configuration.
     */
    public static HypercallBenchmarkConfig quick(final String command, final ChildJvm childJvm)
    {
        final Duration timeout = Duration.ofSeconds(60);
        return new HypercallBenchmarkConfig("quick", command, new RoundTripPlan(20_000, 100_000, timeout),
            new RoundTripPlan(5_000, 30_000, timeout), new RoundTripPlan(20_000, 100_000, timeout),
            List.of(WaitMode.values()), DEFAULT_RUN_DIR, childJvm);
    }

    /**
     * A few minutes on two cores: a million calls and round trips, hundreds of thousands of events, per wait mode.
     *
     * @param command  the command line.
     * @param childJvm how to start child JVMs.
     * @return the configuration.
     */
    public static HypercallBenchmarkConfig standard(final String command, final ChildJvm childJvm)
    {
        final Duration timeout = Duration.ofSeconds(180);
        return new HypercallBenchmarkConfig("default", command, new RoundTripPlan(100_000, 1_000_000, timeout),
            new RoundTripPlan(20_000, 300_000, timeout), new RoundTripPlan(100_000, 1_000_000, timeout),
            List.of(WaitMode.values()), DEFAULT_RUN_DIR, childJvm);
    }

    /**
     * @param directory where run directories go.
     * @return a copy with that directory.
     */
    public HypercallBenchmarkConfig withRunDir(final Path directory)
    {
        return new HypercallBenchmarkConfig(mode, command, hypercalls, events, rings, waitModes, directory, childJvm);
    }
}
