package org.coopvm.perf.hypercall;

import org.coopvm.perf.latency.ChildJvm;
import org.coopvm.perf.latency.PingPongVariant;
import org.coopvm.perf.latency.ProcessPairRoundTrip;
import org.coopvm.perf.latency.RoundTripPlan;
import org.coopvm.perf.latency.RoundTripResult;
import org.coopvm.perf.BenchmarkRun;
import org.coopvm.perf.report.Figure;
import org.coopvm.perf.report.Metric;
import org.coopvm.perf.report.RingsReport;
import org.coopvm.perf.report.RunInfo;
import org.coopvm.perf.report.Scope;
import org.coopvm.perf.report.Subject;
import org.coopvm.perf.report.WaitMode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The whole {@code coop bench hypercalls} measurement, in one run on one machine, per wait mode:
 * the raw ring round trips between two processes (message channel and Xen ring, the foundation
 * benchmark's transports), the null hypercall round trip from a process guest to a real
 * hypervisor, and the interdomain event channel between two process guests (round trip and
 * one-way). A measurement that fails is recorded in the report and the run goes on. Never prints:
 * progress goes to the given listener. Blocks the calling thread for the whole run.
 */
public final class HypercallBenchmark
{
    /** Spinning event channel runs need a CPU each for two guest vCPUs and the dispatcher. */
    static final int SPINNING_EVENT_CPUS = 3;
    private static final List<Subject> RAW_RINGS = List.of(Subject.CHANNEL, Subject.XEN_RING);
    private static final List<Metric> RTT = List.of(Metric.RTT_P50, Metric.RTT_P99, Metric.RTT_P999);
    private static final List<Metric> ONE_WAY = List.of(Metric.ONE_WAY_P50, Metric.ONE_WAY_P99, Metric.ONE_WAY_P999);

    private final HypercallBenchmarkConfig config;
    private final Consumer<String> progress;
    private final List<Figure> figures = new ArrayList<>();
    private final BenchmarkRun benchRun;

    private HypercallBenchmark(final HypercallBenchmarkConfig config, final Consumer<String> progress)
    {
        this.config = config;
        this.progress = progress;
        this.benchRun = new BenchmarkRun(progress);
    }

    /**
     * @param config   what to measure and for how long.
     * @param progress receives one line per step, for the command to print.
     * @return every figure, the goals judged from them, and any failures.
     */
    public static RingsReport run(final HypercallBenchmarkConfig config, final Consumer<String> progress)
    {
        return new HypercallBenchmark(config, progress).run();
    }

    /**
     * Null hypercall round trips: one process guest booted with the {@value NullHypercallWorkload#NAME} workload.
     *
     * @param wait     how the dispatcher and the guest wait.
     * @param plan     warm-up and measured calls, and the timeout.
     * @param childJvm how to start the guest JVM.
     * @param runDir   where to make the run directory.
     * @return the round-trip percentiles.
     * @throws IllegalStateException when the guest fails or times out.
     */
    public static RoundTripResult nullHypercall(final WaitMode wait, final RoundTripPlan plan, final ChildJvm childJvm, final Path runDir)
    {
        return ProcessGuestRun.run(wait, List.of(new ProcessGuestRun.Guest("hcbench-null", NullHypercallWorkload.NAME, args(plan))),
            childJvm, runDir, plan.timeout()).roundTrip();
    }

    /**
     * Event channel round trips between two process guests ({@value EventChannelPongWorkload#NAME} and
     * {@value EventChannelPingWorkload#NAME}).
     *
     * @param wait     how the dispatcher and the guests wait.
     * @param plan     warm-up and measured events, and the timeout.
     * @param childJvm how to start the guest JVMs.
     * @param runDir   where to make the run directory.
     * @return round trip (send to the answer's upcall) and one-way (send to the peer's upcall) percentiles.
     * @throws IllegalStateException when a guest fails or times out.
     */
    public static EventChannelResult eventChannel(
        final WaitMode wait, final RoundTripPlan plan, final ChildJvm childJvm, final Path runDir)
    {
        final ProcessGuestRun.Results results = ProcessGuestRun.run(wait, List.of(
            new ProcessGuestRun.Guest("hcbench-pong", EventChannelPongWorkload.NAME, args(plan)),
            new ProcessGuestRun.Guest("hcbench-ping", EventChannelPingWorkload.NAME, args(plan))),
            childJvm, runDir, plan.timeout());
        return new EventChannelResult(results.roundTrip(), results.oneWay());
    }

    /**
     * Event channel latency percentiles. Immutable; any thread.
     *
     * @param roundTrip send to the upcall of the peer's answer.
     * @param oneWay    send to the peer's upcall.
     */
    public record EventChannelResult(RoundTripResult roundTrip, RoundTripResult oneWay)
    {
    }

    private RingsReport run()
    {
        for (final WaitMode wait : config.waitModes())
        {
            for (final Subject ring : RAW_RINGS)
            {
                measureRawRing(ring, wait);
            }
            measure("null hypercall, " + wait.id(), () -> figures(Subject.NULL_HYPERCALL, wait, RTT,
                nullHypercall(wait, config.hypercalls(), config.childJvm(), config.runDir())));
            if (wait == WaitMode.SPINNING && Runtime.getRuntime().availableProcessors() < SPINNING_EVENT_CPUS)
            {
                progress.accept("event channel, spinning: skipped, needs " + SPINNING_EVENT_CPUS + " CPUs");
                continue;
            }
            measure("event channel, " + wait.id(), () ->
            {
                final EventChannelResult result = eventChannel(wait, config.events(), config.childJvm(), config.runDir());
                final List<Figure> both = new ArrayList<>(figures(Subject.EVENT_CHANNEL, wait, RTT, result.roundTrip()));
                both.addAll(figures(Subject.EVENT_CHANNEL, wait, ONE_WAY, result.oneWay()));
                return both;
            });
        }
        final RunInfo run = benchRun.finish(config.command(), config.mode(), notes());
        return new RingsReport(run, figures, HypercallGoals.forModes(config.waitModes()));
    }

    private void measureRawRing(final Subject ring, final WaitMode wait)
    {
        for (final PingPongVariant variant : PingPongVariant.values())
        {
            if (variant.subject() == ring && variant.waitMode() == wait)
            {
                measure("raw round trip, " + wait.id() + ": " + ring.displayName(), () -> figures(ring, wait, RTT,
                    ProcessPairRoundTrip.measure(variant, config.rings(), config.childJvm(), config.runDir())));
            }
        }
    }

    private void measure(final String what, final Supplier<List<Figure>> measurement)
    {
        benchRun.measure(what, () -> figures.addAll(measurement.get()));
    }

    private static List<Figure> figures(final Subject subject, final WaitMode wait, final List<Metric> metrics, final RoundTripResult result)
    {
        return List.of(
            new Figure(subject, metrics.get(0), Scope.PROCESSES, wait, result.p50Ns()),
            new Figure(subject, metrics.get(1), Scope.PROCESSES, wait, result.p99Ns()),
            new Figure(subject, metrics.get(2), Scope.PROCESSES, wait, result.p999Ns()));
    }

    private static Map<String, String> args(final RoundTripPlan plan)
    {
        return Map.of(BenchWorkloadArgs.WARMUP, Integer.toString(plan.warmupRoundTrips()),
            BenchWorkloadArgs.MEASURED, Integer.toString(plan.measuredRoundTrips()));
    }

    private List<String> notes()
    {
        final List<String> notes = new ArrayList<>();
        notes.add(benchRun.loadNote("skews every figure, spinning ones most (2 spinners per measurement, 3 for the event channel)"));
        notes.add("host side: a real org.coopvm.hypervisor.Hypervisor in the benchmark JVM (HypervisorConfig.defaults, run " +
            "directory under " + config.runDir() + ", dispatcher thread started by start()), domains of 1 vCPU and 4 MiB " +
            "created with isolation=process; a fresh hypervisor and run directory per measurement");
        notes.add("guest side: each guest is a child JVM (same java, jvm.options, class path) that boots the real guest " +
            "kernel, GuestKernel.boot(BootRegions.attach(runDir, domid)), and runs a benchmark workload on vCPU 0: what " +
            "users' workloads get");
        notes.add("null hypercall: Hypercalls.xenVersion() (xen_version, XENVER_version) timed with System.nanoTime in the " +
            "guest task, " + plan(config.hypercalls()) + "; offer on dom<N>/hypercall, host-doorbell wakeIfSleeping, " +
            "response awaited on vcpu0.rsp (VcpuHypercallPort)");
        notes.add("event channel: guest B alloc_unbound for A and publishes the port in a control file, A bind_interdomain; " +
            "A stamps the time and sends (EVTCHNOP_send hypercall), B's upcall handler stamps the time in the control " +
            "file and wakes its task, which sends back on the same channel; round trip = A's send to A's upcall, " +
            "one way = A's send to B's upcall (System.nanoTime is CLOCK_MONOTONIC, shared by the processes); " +
            plan(config.events()));
        notes.add("raw rings: the foundation benchmark's two-process ping-pong (ProcessPairRoundTrip), 64-byte messages, " +
            plan(config.rings()) + "; the goal compares with the message channel, the ring hypercalls ride on");
        if (config.waitModes().contains(WaitMode.SPINNING) && Runtime.getRuntime().availableProcessors() < SPINNING_EVENT_CPUS)
        {
            notes.add("event channel, spinning: not measured on " + Runtime.getRuntime().availableProcessors() + " CPUs: it " +
                "spins 3 threads (two guest vCPUs and the dispatcher), so on fewer than " + SPINNING_EVENT_CPUS + " CPUs " +
                "each round trip waits for time slices (a quick run timed out after 90 s for 12,000 events on 2 CPUs)");
        }
        for (final WaitMode wait : config.waitModes())
        {
            notes.add(WaitTuning.describe(wait) + "; raw rings: the same mode of the foundation benchmark");
        }
        return notes;
    }

    private static String plan(final RoundTripPlan plan)
    {
        return String.format(Locale.ROOT, "%,d warm-up then %,d measured (HdrHistogram)", plan.warmupRoundTrips(),
            plan.measuredRoundTrips());
    }
}
