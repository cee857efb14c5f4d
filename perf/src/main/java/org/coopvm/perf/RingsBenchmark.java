package org.coopvm.perf;

import org.HdrHistogram.Histogram;
import org.coopvm.perf.latency.ForkedThreadPairRoundTrip;
import org.coopvm.perf.latency.IdleWaiterProbe;
import org.coopvm.perf.latency.PingPongVariant;
import org.coopvm.perf.latency.ProcessPairRoundTrip;
import org.coopvm.perf.latency.RoundTripPlan;
import org.coopvm.perf.latency.RoundTripResult;
import org.coopvm.perf.report.Figure;
import org.coopvm.perf.report.Metric;
import org.coopvm.perf.report.RingGoals;
import org.coopvm.perf.report.RingsReport;
import org.coopvm.perf.report.RunInfo;
import org.coopvm.perf.report.Scope;
import org.coopvm.perf.report.Subject;
import org.coopvm.perf.report.WaitMode;
import org.coopvm.perf.throughput.ThroughputRunner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
    /** Busy pause between slices of spinning round trips, so each fork samples the machine over a second or so. */
    private static final Duration SPINNING_SLICE_GAP = Duration.ofMillis(10);

    private final RingsBenchmarkConfig config;
    private final Consumer<String> progress;
    private final List<Figure> figures = new ArrayList<>();
    private final BenchmarkRun benchRun;

    private RingsBenchmark(final RingsBenchmarkConfig config, final Consumer<String> progress)
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
    public static RingsReport run(final RingsBenchmarkConfig config, final Consumer<String> progress)
    {
        return new RingsBenchmark(config, progress).run();
    }

    private RingsReport run()
    {
        measureThroughput();
        measureSpinningRoundTrips();
        for (final PingPongVariant variant : PingPongVariant.values())
        {
            if (variant.waitMode() != WaitMode.SPINNING)
            {
                measureRoundTrips(variant, Scope.THREADS);
                measureRoundTrips(variant, Scope.PROCESSES);
            }
        }
        for (final PingPongVariant variant : PingPongVariant.values())
        {
            measureIdleCpu(variant);
        }
        final RunInfo run = benchRun.finish(config.command(), config.mode(), notes());
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
        final String what = roundTripName(variant, scope);
        progress.accept(what);
        attempt(what, () -> roundTripFigures(variant, scope, RoundTripResult.of(record(variant, scope, plan(scope)))));
    }

    /**
     * Spinning round trips take a fraction of a second each, so the machine's state while one
     * runs (on a VM: where the host happens to place the two vCPUs) decides its figure. They
     * are therefore split into interleaved rounds (every subject and scope once per round, each
     * in fresh JVMs with the full warm-up) and each figure comes from the merged histograms, so
     * every subject sees the same mix of conditions.
     */
    private void measureSpinningRoundTrips()
    {
        final List<PingPongVariant> variants = Arrays.stream(PingPongVariant.values())
            .filter(variant -> variant.waitMode() == WaitMode.SPINNING).toList();
        final Map<String, Histogram> merged = new LinkedHashMap<>();
        final Set<String> failed = new HashSet<>();
        final int rounds = config.spinningRounds();
        for (int round = 1; round <= rounds; round++)
        {
            for (final Scope scope : Scope.values())
            {
                for (int i = 0; i < variants.size(); i++)
                {
                    // Each round starts with another subject, so none always runs first.
                    final PingPongVariant variant = variants.get((i + round) % variants.size());
                    final String what = roundTripName(variant, scope);
                    if (!failed.contains(what))
                    {
                        recordRound(what + " (round " + round + " of " + rounds + ")", what, variant, scope, merged, failed);
                    }
                }
            }
        }
        for (final Scope scope : Scope.values())
        {
            for (final PingPongVariant variant : variants)
            {
                final Histogram histogram = merged.get(roundTripName(variant, scope));
                if (histogram != null)
                {
                    figures.addAll(roundTripFigures(variant, scope, RoundTripResult.of(histogram)));
                }
            }
        }
    }

    private void recordRound(
        final String step,
        final String what,
        final PingPongVariant variant,
        final Scope scope,
        final Map<String, Histogram> merged,
        final Set<String> failed)
    {
        final RoundTripPlan whole = plan(scope);
        final RoundTripPlan round = new RoundTripPlan(whole.warmupRoundTrips(),
            Math.ceilDiv(whole.measuredRoundTrips(), config.spinningRounds()), whole.timeout(), SPINNING_SLICE_GAP);
        try
        {
            final Histogram histogram = record(variant, scope, round);
            progress.accept(step + ": p50 " + histogram.getValueAtPercentile(50.0) + " ns");
            merged.merge(what, histogram, (sum, more) ->
            {
                sum.add(more);
                return sum;
            });
        }
        catch (final RuntimeException ex)
        {
            failed.add(what);
            merged.remove(what);
            benchRun.failed(what, ex);
        }
    }

    private Histogram record(final PingPongVariant variant, final Scope scope, final RoundTripPlan plan)
    {
        return scope == Scope.THREADS ?
            ForkedThreadPairRoundTrip.record(variant, plan, config.childJvm(), config.runDir()) :
            ProcessPairRoundTrip.record(variant, plan, config.childJvm(), config.runDir());
    }

    private RoundTripPlan plan(final Scope scope)
    {
        return scope == Scope.THREADS ? config.threadRounds() : config.processRounds();
    }

    private static String roundTripName(final PingPongVariant variant, final Scope scope)
    {
        return "round trip, " + scope.displayName() + ", " + variant.waitMode().id() + ": " +
            variant.subject().displayName();
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
        benchRun.attempt(what, () -> figures.addAll(measurement.get()));
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

    private List<String> notes()
    {
        return List.of(
            String.format(Locale.ROOT, "system load average (1 min) at start: %.2f; other work on the machine " +
                "skews every figure, most of all throughput on 2 cores", benchRun.loadAtStart()),
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
                "; every measurement (subject x scope x wait mode) in fresh JVMs, as JMH forks, so none runs on code " +
                "the JIT profiled for another transport: two threads = one forked JVM that hands its histogram back; " +
                "two processes = a fresh initiator JVM and a fresh responder JVM, this JVM only orchestrates; all with " +
                "the same java, jvm.options and class path, files in " + config.runDir(),
            "spinning round trips: " + config.spinningRounds() + " interleaved rounds (each round: every " +
                "subject, threads then processes, starting with another subject each round; fresh JVMs, full " +
                "warm-up, 1/" + config.spinningRounds() + " of the measured round trips, the initiator pausing " +
                "busily " + SPINNING_SLICE_GAP.toMillis() + " ms after every " + RoundTripPlan.SLICE + "), " +
                "histograms merged: sub-microsecond figures follow where the host runs the two vCPUs at that " +
                "moment (on a VM the same code's p50 flips between modes that last seconds; each round's p50 is " +
                "in the progress output), so every subject gets a similar mix; blocking and spin-then-sleep: one " +
                "measurement each",
            "raw futex ping-pong: store the word then FUTEX_WAKE every time; the receiver FUTEX_WAITs without spinning",
            "Xen ring, spinning: neither side ever sleeps, so both push with the plain RING_PUSH_REQUESTS / " +
                "RING_PUSH_RESPONSES (release store of the producer index; no fence, no event index), as Xen allows " +
                "for polling peers; request and response share a slot and req_prod/rsp_prod share a cache line (the ABI)",
            "message channel, spinning: offer() keeps its full fence per message (it checks for a sleeping consumer " +
                "even when none ever sleeps), which Agrona's write() does not pay",
            "ours, blocking: SpinThenSleepWaitStrategy with no spins or yields (sleep at once, like the raw futex); " +
                "spin-then-sleep: WaitConfig.DEFAULT (200 spins, 2 yields, then sleep), what users get; Xen ring: " +
                "prepareToSleep, RING_FINAL_CHECK, sleep; push with PUSH_AND_CHECK_NOTIFY and wake only when it says so",
            "idle waiter: CPU time (ThreadMXBean) of one thread waiting " + config.idleWait().toSeconds() +
                " s on an empty transport with the default wait strategy, in percent of one CPU");
    }
}
