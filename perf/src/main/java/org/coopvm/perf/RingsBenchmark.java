package org.coopvm.perf;

import org.coopvm.perf.latency.IdleWaiterProbe;
import org.coopvm.perf.latency.PingPongVariant;
import org.coopvm.perf.latency.ProcessPairRoundTrip;
import org.coopvm.perf.latency.RoundTripResult;
import org.coopvm.perf.latency.ThreadPairRoundTrip;
import org.coopvm.perf.report.Figure;
import org.coopvm.perf.report.Metric;
import org.coopvm.perf.report.RingGoals;
import org.coopvm.perf.report.RingsReport;
import org.coopvm.perf.report.RunInfo;
import org.coopvm.perf.report.Scope;
import org.coopvm.perf.report.Subject;
import org.coopvm.perf.report.WaitMode;
import org.coopvm.perf.throughput.ThroughputRunner;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The whole {@code coop bench rings} measurement, in one run on one machine: one-way
 * throughput (JMH), round trips between threads and between processes (spinning and blocking),
 * and the idle waiter's CPU. A measurement that fails is recorded in the report and the run
 * goes on. Never prints: progress goes to the given listener. One run per instance of the
 * calling thread; blocks it for the whole run.
 */
public final class RingsBenchmark
{
    private final RingsBenchmarkConfig config;
    private final Consumer<String> progress;
    private final List<Figure> figures = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    private RingsBenchmark(final RingsBenchmarkConfig config, final Consumer<String> progress)
    {
        this.config = config;
        this.progress = progress;
    }

    /**
     * @param config   what to measure and for how long.
     * @param progress receives one line per step, for the command to print.
     * @return every figure, the goals judged from them, and any failures.
     */
    public static RingsReport run(final RingsBenchmarkConfig config, final Consumer<String> progress)
    {
        return new RingsBenchmark(config, progress).run();
    }

    private RingsReport run()
    {
        final Instant startedAt = Instant.now();
        final long startNs = System.nanoTime();
        final double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        measureThroughput();
        for (final PingPongVariant variant : PingPongVariant.values())
        {
            measureRoundTrips(variant, Scope.THREADS);
            measureRoundTrips(variant, Scope.PROCESSES);
        }
        for (final PingPongVariant variant : PingPongVariant.values())
        {
            measureIdleCpu(variant);
        }
        final RunInfo run = RunInfo.ofThisMachine(startedAt, Duration.ofNanos(System.nanoTime() - startNs),
            config.command(), config.mode(), notes(loadAtStart), failures);
        return new RingsReport(run, figures, RingGoals.standard());
    }

    private void measureThroughput()
    {
        final List<Subject> subjects = List.of(
            Subject.XEN_RING, Subject.CHANNEL, Subject.AGRONA_ONE_TO_ONE, Subject.AERON_IPC);
        progress.accept("one-way throughput under JMH (progress in " + config.jmhLog() + ")");
        attempt("one-way throughput", () -> ThroughputRunner.run(
            subjects, config.throughput(), config.childJvm().jvmOptionsFile(), config.jmhLog()));
    }

    private void measureRoundTrips(final PingPongVariant variant, final Scope scope)
    {
        final String what = "round trip, " + scope.displayName() + ", " + variant.waitMode().id() + ": " +
            variant.subject().displayName();
        progress.accept(what);
        attempt(what, () -> roundTripFigures(variant, scope, scope == Scope.THREADS ?
            ThreadPairRoundTrip.measure(variant.transport(), config.threadRounds()) :
            ProcessPairRoundTrip.measure(variant, config.processRounds(), config.childJvm(), config.runDir())));
    }

    private void measureIdleCpu(final PingPongVariant variant)
    {
        if (variant.waitMode() != WaitMode.SPIN_THEN_SLEEP)
        {
            return;
        }
        final String what = "idle waiter CPU, " + config.idleWait().toSeconds() + " s: " + variant.subject().displayName();
        progress.accept(what);
        attempt(what, () -> List.of(new Figure(variant.subject(), Metric.IDLE_CPU, Scope.THREADS, variant.waitMode(),
            IdleWaiterProbe.cpuPercent(variant.transport(), config.idleWait()))));
    }

    private void attempt(final String what, final Supplier<List<Figure>> measurement)
    {
        try
        {
            figures.addAll(measurement.get());
        }
        catch (final RuntimeException ex)
        {
            failures.add(what + ": " + ex.getMessage());
            progress.accept("FAILED " + what + ": " + ex.getMessage());
        }
    }

    private static List<Figure> roundTripFigures(final PingPongVariant variant, final Scope scope, final RoundTripResult result)
    {
        final Subject subject = variant.subject();
        final WaitMode wait = variant.waitMode();
        return List.of(
            new Figure(subject, Metric.RTT_P50, scope, wait, result.p50Ns()),
            new Figure(subject, Metric.RTT_P99, scope, wait, result.p99Ns()),
            new Figure(subject, Metric.RTT_P999, scope, wait, result.p999Ns()));
    }

    private List<String> notes(final double loadAtStart)
    {
        return List.of(
            String.format(Locale.ROOT, "system load average (1 min) at start: %.2f; other work on the machine " +
                "skews every figure, most of all throughput on 2 cores", loadAtStart),
            "throughput: JMH " + config.throughput() + ", one producer and one consumer thread (@Group), " +
                "64-byte messages, consumer polls up to 64 per call, rate = messages received",
            "every throughput subject buffers 1 MiB (rings, Xen slots, Aeron term window), so none wins on a busy " +
                "machine by buffering more per time slice",
            "Agrona OneToOneRingBuffer: write() and read(); message channel: one-to-one, " +
                "offer() (which checks for a sleeping consumer) and poll()",
            "Xen ring throughput: 16384 slots of 64 bytes; the front copies up to 64 requests into free slots then " +
                "pushes once (as Xen front ends batch), reclaims responses when full; the back copies each request " +
                "out, answers in place, pushes responses once per batch",
            "Aeron IPC: aeron-client/aeron-driver, ExclusivePublication on aeron:ipc?term-length=2m, embedded " +
                "MediaDriver ThreadingMode.SHARED with BackoffIdleStrategy, directory under /dev/shm deleted afterwards",
            "round trips: HdrHistogram, threads " + config.threadRounds() + ", processes " + config.processRounds() +
                ", second JVM started with the same java, jvm.options and class path, region file in " + config.runDir(),
            "raw futex ping-pong: store the word then FUTEX_WAKE every time; the receiver FUTEX_WAITs without spinning",
            "ours, blocking: SpinThenSleepWaitStrategy with no spins or yields (sleep at once, like the raw futex); " +
                "spin-then-sleep: WaitConfig.DEFAULT (200 spins, 2 yields, then sleep), what users get; Xen ring: " +
                "prepareToSleep, RING_FINAL_CHECK, sleep; wake only when PUSH_AND_CHECK_NOTIFY says so",
            "idle waiter: CPU time (ThreadMXBean) of one thread waiting " + config.idleWait().toSeconds() +
                " s on an empty transport with the default wait strategy, in percent of one CPU");
    }
}
