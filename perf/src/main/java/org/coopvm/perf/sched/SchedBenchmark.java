package org.coopvm.perf.sched;

import org.coopvm.hypervisor.sched.Credit2Scheduler;
import org.coopvm.hypervisor.sched.CreditScheduler;
import org.coopvm.perf.latency.RoundTripResult;
import org.coopvm.perf.BenchmarkRun;
import org.coopvm.perf.report.Figure;
import org.coopvm.perf.report.Metric;
import org.coopvm.perf.report.RingsReport;
import org.coopvm.perf.report.RunInfo;
import org.coopvm.perf.report.Subject;
import org.coopvm.perf.report.WaitMode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The whole {@code coop bench sched} measurement, in one run, on the real runtime (a real
 * hypervisor and its {@code cpu-scheduler} agent, real guest kernels in this JVM: {@link SchedHost})
 * and on the pure algorithms:
 * <ol>
 *   <li>fairness of weighted {@code cpu-burn} guests, credit and credit2 ({@link FairnessRun});</li>
 *   <li>wake-to-run latency of a blocked vCPU under load, credit and credit2, next to the same
 *       wake-up with a free slot, without slots (Linux alone) and on an idle host
 *       ({@link WakeLatencyRun});</li>
 *   <li>the scheduler thread's CPU with {@value SchedBenchmarkConfig#OVERHEAD_VCPUS} busy vCPUs,
 *       and live adjusts on that busy host ({@link OverheadRun});</li>
 *   <li>the pure algorithms' cost per decision next to a round-robin picker ({@link DecisionCost}).</li>
 * </ol>
 * One host per algorithm serves its measurements in turn (each destroys its guests), one more with
 * a slot per vCPU the free-slot peer. A measurement that fails is recorded in the report and the
 * run goes on; every host, guest thread and run directory is gone when {@link #run} returns. Never prints: progress goes to the given
 * listener. Blocks the calling thread for the whole run.
 */
public final class SchedBenchmark
{
    private static final long SEED = 6;

    private final SchedBenchmarkConfig config;
    private final Consumer<String> progress;
    private final List<Figure> figures = new ArrayList<>();
    private final BenchmarkRun benchRun;
    private final List<String> details = new ArrayList<>();

    private SchedBenchmark(final SchedBenchmarkConfig config, final Consumer<String> progress)
    {
        this.config = config;
        this.progress = progress;
        this.benchRun = new BenchmarkRun(progress);
    }

    /**
     * @param config   windows, sizes, where the files go.
     * @param progress receives one line per step, for the command to print.
     * @return every figure, the goals ({@link SchedGoals}) and any failures.
     */
    public static RingsReport run(final SchedBenchmarkConfig config, final Consumer<String> progress)
    {
        return new SchedBenchmark(config, progress).run();
    }

    /**
     * @param scheduler {@link Subject#SCHED_CREDIT} or {@link Subject#SCHED_CREDIT2}.
     * @return the algorithm's name.
     */
    static String algorithm(final Subject scheduler)
    {
        return scheduler == Subject.SCHED_CREDIT2 ? Credit2Scheduler.NAME : CreditScheduler.NAME;
    }

    private RingsReport run()
    {
        benchRun.measure("hosts: credit and credit2 on " + config.slots() + " slot(s), credit on " + (config.burners() + 1) + " slots",
            this::runtime);
        benchRun.measure("decision cost of the pure algorithms", this::decisionCost);
        final RunInfo run = benchRun.finish(config.command(), config.mode(), notes());
        return new RingsReport(run, figures, SchedGoals.standard());
    }

    /**
     * Everything on the real runtime: three hosts (their agents asleep while they have no guests),
     * each measurement booting its guests on one of them and destroying them after.
     */
    private void runtime()
    {
        try (SchedHost credit = SchedHost.start(config.runDir(), CreditScheduler.NAME, config.slots());
            SchedHost credit2 = SchedHost.start(config.runDir(), Credit2Scheduler.NAME, config.slots());
            SchedHost freeSlots = SchedHost.start(config.runDir(), CreditScheduler.NAME, config.burners() + 1))
        {
            fairness(credit, Subject.SCHED_CREDIT);
            fairness(credit2, Subject.SCHED_CREDIT2);
            final Map<Subject, WakeLatencyRun> wake = new LinkedHashMap<>();
            wake.put(Subject.SCHED_CREDIT, new WakeLatencyRun(credit, config.burners(), true, SEED));
            wake.put(Subject.SCHED_CREDIT2, new WakeLatencyRun(credit2, config.burners(), true, SEED + 1));
            wake.put(Subject.WAKE_FREE_SLOT, new WakeLatencyRun(freeSlots, config.burners(), true, SEED + 2));
            wake.put(Subject.WAKE_NO_SLOTS, new WakeLatencyRun(credit, config.burners(), false, SEED + 3));
            wake.put(Subject.WAKE_IDLE_HOST, new WakeLatencyRun(credit, 0, true, SEED + 4));
            benchRun.measure("wake-to-run: " + wake.size() + " setups in " + config.wakeRounds() + " interleaved round(s), " +
                config.burners() + " cpu-burn guest(s) busy", () -> wakeUps(wake));
            overhead(credit, Subject.SCHED_CREDIT);
            overhead(credit2, Subject.SCHED_CREDIT2);
        }
    }

    private void fairness(final SchedHost host, final Subject scheduler)
    {
        benchRun.measure("fairness: " + FairnessRun.WEIGHTS.length + " weighted cpu-burn guests, " + host.algorithm() + ", " + config.slots() +
            " slot(s)", () ->
            {
                final FairnessRun.Result result = FairnessRun.measure(host, config.fairnessWarmup(), config.fairnessWindow());
                ours(scheduler, Metric.JAIN_INDEX, result.jain());
                ours(scheduler, Metric.SHARE_RATIO_MIN, result.minRatio());
                ours(scheduler, Metric.SHARE_RATIO_MAX, result.maxRatio());
                details.addAll(result.perGuest());
                final String line = String.format(Locale.ROOT, "%s fairness: Jain's index %.4f, achieved/entitled %.3f..%.3f; the " +
                    "guests used %.2f CPUs in all; the scheduler's books (schedstat) differ from the vCPU threads' CPU time by at " +
                    "most %.1f%% per guest; %s", result.algorithm(), result.jain(), result.minRatio(), result.maxRatio(),
                    result.guestsCpu(), result.booksSkew() * 100, result.enforcement());
                details.add(line);
                progress.accept(line);
            });
    }

    /** The setups take turns, round after round, so that each sees the same background load. */
    private void wakeUps(final Map<Subject, WakeLatencyRun> setups)
    {
        final Duration window = config.wakeWindow().dividedBy(config.wakeRounds());
        for (int round = 0; round < config.wakeRounds(); round++)
        {
            final StringBuilder medians = new StringBuilder();
            for (final Map.Entry<Subject, WakeLatencyRun> setup : setups.entrySet())
            {
                final long p50Ns = setup.getValue().round(config.wakeWarmup(), window);
                medians.append(String.format(Locale.ROOT, "%s %s %.1f us", medians.isEmpty() ? "" : ";",
                    setup.getKey().displayName(), p50Ns / 1e3));
            }
            final String line = "wake-to-run round " + (round + 1) + " of " + config.wakeRounds() + ", p50s:" + medians;
            details.add(line);
            progress.accept(line);
        }
        setups.forEach((subject, setup) ->
        {
            final RoundTripResult r = setup.latency();
            final WaitMode wait = subject.ours() ? SchedGoals.OURS_WAIT : SchedGoals.PEER_WAIT;
            figures.add(new Figure(subject, Metric.ONE_WAY_P50, SchedGoals.SCOPE, wait, r.p50Ns()));
            figures.add(new Figure(subject, Metric.ONE_WAY_P99, SchedGoals.SCOPE, wait, r.p99Ns()));
            figures.add(new Figure(subject, Metric.ONE_WAY_P999, SchedGoals.SCOPE, wait, r.p999Ns()));
            final String line = String.format(Locale.ROOT, "wake-to-run, %s (%s): %d wake-ups, p50 %.1f us, p99 %.1f us, p99.9 " +
                "%.1f us, max %.1f us; %s", subject.displayName(), setup.describe(), r.roundTrips(), r.p50Ns() / 1e3,
                r.p99Ns() / 1e3, r.p999Ns() / 1e3, r.maxNs() / 1e3, setup.enforcement());
            details.add(line);
            progress.accept(line);
        });
    }

    private void overhead(final SchedHost host, final Subject scheduler)
    {
        benchRun.measure("overhead: " + SchedBenchmarkConfig.OVERHEAD_VCPUS + " busy vCPUs, " + host.algorithm() + ", " + config.slots() +
            " slot(s)" + (scheduler == Subject.SCHED_CREDIT ? ", then live adjusts" : ""), () -> overheadOn(host, scheduler));
    }

    private void overheadOn(final SchedHost host, final Subject scheduler)
    {
        final boolean adjusts = scheduler == Subject.SCHED_CREDIT;
        final OverheadRun.Result r = OverheadRun.measure(host, config.overheadWarmup(), config.overheadWindow(),
            adjusts ? config.adjustSamples() : 0, SEED);
        ours(scheduler, Metric.SCHEDULER_CPU, r.schedulerCpu() * 100);
        ours(scheduler, Metric.GUESTS_CPU, r.guestsCpu() * 100);
        final String line = String.format(Locale.ROOT, "%s with %d busy vCPUs: cpu-scheduler thread %.3f%% of one CPU, guests %.1f%%, " +
            "%.0f duty cycles/s, %.0f grants/s; %s", r.algorithm(), SchedBenchmarkConfig.OVERHEAD_VCPUS, r.schedulerCpu() * 100,
            r.guestsCpu() * 100, r.dutyCyclesPerS(), r.grantsPerS(), r.enforcement());
        details.add(line);
        progress.accept(line);
        if (r.adjust() != null)
        {
            final OverheadRun.Adjusts a = r.adjust();
            ours(Subject.SCHED_ADJUST, Metric.CALL_P50, a.call().p50Ns());
            ours(Subject.SCHED_ADJUST, Metric.CALL_P99, a.call().p99Ns());
            ours(Subject.SCHED_ADJUST, Metric.ONE_WAY_P50, a.effect().p50Ns());
            ours(Subject.SCHED_ADJUST, Metric.ONE_WAY_P99, a.effect().p99Ns());
            final String adjustLine = String.format(Locale.ROOT, "live adjust (%s, %d busy vCPUs): %d calls, call p50 %.1f us p99 %.1f us, " +
                "applied (duty cycle done) p50 %.1f us p99 %.1f us max %.1f us; %d of the first decisions raised a preempt flag",
                r.algorithm(), SchedBenchmarkConfig.OVERHEAD_VCPUS, a.call().roundTrips(), a.call().p50Ns() / 1e3, a.call().p99Ns() / 1e3,
                a.effect().p50Ns() / 1e3, a.effect().p99Ns() / 1e3, a.effect().maxNs() / 1e3, a.preempting());
            details.add(adjustLine);
            progress.accept(adjustLine);
        }
    }

    private void decisionCost()
    {
        final int slots = config.slots();
        final double credit = DecisionCost.nsPerDecision(CreditScheduler::new, slots, config.decisionsPerRound(), config.decisionRounds());
        final double credit2 = DecisionCost.nsPerDecision(Credit2Scheduler::new, slots, config.decisionsPerRound(),
            config.decisionRounds());
        final double roundRobin = DecisionCost.nsPerDecision(RoundRobinPicker::new, slots, config.decisionsPerRound(),
            config.decisionRounds());
        ours(Subject.SCHED_CREDIT, Metric.NS_PER_DECISION, credit);
        ours(Subject.SCHED_CREDIT2, Metric.NS_PER_DECISION, credit2);
        figures.add(new Figure(Subject.ROUND_ROBIN_PICKER, Metric.NS_PER_DECISION, SchedGoals.SCOPE, SchedGoals.PEER_WAIT, roundRobin));
        progress.accept(String.format(Locale.ROOT, "ns per decision: credit %.0f, credit2 %.0f, round-robin %.0f", credit, credit2,
            roundRobin));
    }

    private void ours(final Subject subject, final Metric metric, final double value)
    {
        figures.add(new Figure(subject, metric, SchedGoals.SCOPE, SchedGoals.OURS_WAIT, value));
    }

    private List<String> notes()
    {
        final List<String> notes = new ArrayList<>();
        notes.add(benchRun.loadNote("takes CPU from the guests and the scheduler alike and skews every latency"));
        notes.add("runtime: a real Hypervisor per algorithm, and one with a slot per vCPU for the free-slot peer (its " +
            "cpu-scheduler agent on its own thread, Xen's 30 ms slice, 10 ms tick, 1 ms rate limit; each measurement's guests " +
            "destroyed before the next) and real guest kernels booted in this JVM on their own mappings of their domain's files, " +
            "as a process guest boots; the scheduler charges each vCPU from its thread's schedstat as for a process guest. In " +
            "one JVM so that the hypervisor's raise and the guest's handler read one clock with no process start-up, and so " +
            "that every thread's CPU time is at hand; the slot path (vcpu_info words, futex doorbells, the agent) is a process " +
            "guest's");
        notes.add(String.format(Locale.ROOT, "fairness: %d cpu-burn guests of one vCPU, weights %s, on %d slot(s); %s warm-up, then " +
            "a %s window; achieved = CPU time of each guest's vCPU thread (ThreadMXBean), entitled = the guests' total CPU shared " +
            "by weight, at most one CPU per vCPU (water filling); Jain's index of achieved / entitled", FairnessRun.WEIGHTS.length,
            Arrays.toString(FairnessRun.WEIGHTS), config.slots(), config.fairnessWarmup(), config.fairnessWindow()));
        notes.add(String.format(Locale.ROOT, "wake-to-run: dom0 raises VIRQ_TIMER (Hypervisor.raiseVirq, the path of a firing vCPU " +
            "timer) on a blocked probe vCPU (weight 256) while %d cpu-burn guests of one vCPU are busy; timed from just before " +
            "the raise to the probe's handler running (its System.nanoTime stamp in a shared file), one wake-up at a time after " +
            "a random 1-3 ms pause, %s not recorded then a %s window per setup. Peers: a free slot (slots = guests' vCPUs, so " +
            "nobody waits for one, Linux shares the cores), no slots (the guests' start info without the slot flag: the " +
            "raw doorbell wake, Linux alone decides), and an idle host (slots, no burners)", config.burners(), config.wakeWarmup(),
            config.wakeWindow()));
        notes.add(String.format(Locale.ROOT, "overhead: %d cpu-burn guests of %d vCPUs (%d busy vCPUs) on %d slot(s); CPU time of " +
            "the cpu-scheduler thread and of the vCPU threads (ThreadMXBean) over a %s window after %s; live adjusts after it " +
            "on the same host: %d calls of CpuScheduler.adjust on a random guest, weight 512/256 and slice 1 ms/host slice in " +
            "turn, 1-3 ms apart; 'applied' = until the agent finished the duty cycle that took the change (the algorithm " +
            "asked about every busy slot with it, preempt flags raised); a weight shows in shares at the next accounting " +
            "(once per slice)", OverheadRun.GUESTS, OverheadRun.VCPUS_PER_GUEST, SchedBenchmarkConfig.OVERHEAD_VCPUS, config.slots(),
            config.overheadWindow(), config.overheadWarmup(), config.adjustSamples()));
        notes.add(String.format(Locale.ROOT, "decision cost: the pure algorithm on a virtual clock, %d always-busy vCPUs in %d " +
            "domains (weights 256/512/768/1024) on %d slot(s), Xen's settings; each slot decided once per slice, every holder " +
            "charged and the algorithm ticked every 10 ms; ns = loop time / decisions (charge + schedule + share of ticks), " +
            "median of %d rounds of %,d after a warm-up round; peer: a round-robin picker with no credit", DecisionCost.VCPUS,
            DecisionCost.DOMAINS, config.slots(), config.decisionRounds(), config.decisionsPerRound()));
        notes.addAll(details);
        return notes;
    }
}
