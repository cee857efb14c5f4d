package org.coopvm.perf.sched;

import org.coopvm.perf.report.Goal;
import org.coopvm.perf.report.Metric;
import org.coopvm.perf.report.Scope;
import org.coopvm.perf.report.Subject;
import org.coopvm.perf.report.WaitMode;

import java.util.List;

/**
 * The goals of issue 6's scheduler benchmark, absolute: Jain's index of the weighted shares at
 * least {@value #MIN_JAIN_INDEX} for both algorithms, a boosted vCPU's wake-to-run p99 under load
 * at most {@value #MAX_WAKE_P99_NS} ns (1 ms) with credit (BOOST is credit's), and the scheduler's
 * thread at most {@value #MAX_SCHEDULER_CPU_PERCENT}% of one CPU with
 * {@value SchedBenchmarkConfig#OVERHEAD_VCPUS} busy vCPUs. Stateless; any thread.
 */
public final class SchedGoals
{
    /** Fairness the issue asks for. */
    public static final double MIN_JAIN_INDEX = 0.99;
    /** Wake-to-run p99 of a boosted vCPU under load. */
    public static final double MAX_WAKE_P99_NS = 1_000_000;
    /** The scheduler's CPU, percent of one CPU. */
    public static final double MAX_SCHEDULER_CPU_PERCENT = 2.0;
    /** Scope of every figure: guests and hypervisor are threads of the benchmark's JVM. */
    static final Scope SCOPE = Scope.THREADS;
    /** Wait mode of our figures: the guest kernel's and agents' defaults (spin, then sleep). */
    static final WaitMode OURS_WAIT = WaitMode.SPIN_THEN_SLEEP;
    /** Wait mode of the peers (compared with ours through {@link WaitMode#peerMode()}). */
    static final WaitMode PEER_WAIT = OURS_WAIT.peerMode();

    private SchedGoals()
    {
    }

    /** @return the goals, in the order the report lists them. */
    public static List<Goal> standard()
    {
        return List.of(
            jain(Subject.SCHED_CREDIT),
            jain(Subject.SCHED_CREDIT2),
            new Goal("credit: wake-to-run p99 of a boosted vCPU under load <= 1 ms", Metric.ONE_WAY_P99, SCOPE, OURS_WAIT,
                Subject.SCHED_CREDIT, List.of(), MAX_WAKE_P99_NS),
            overhead(Subject.SCHED_CREDIT),
            overhead(Subject.SCHED_CREDIT2));
    }

    private static Goal jain(final Subject scheduler)
    {
        return new Goal(SchedBenchmark.algorithm(scheduler) + ": Jain's index of weighted shares >= " + MIN_JAIN_INDEX,
            Metric.JAIN_INDEX, SCOPE, OURS_WAIT, scheduler, List.of(), MIN_JAIN_INDEX);
    }

    private static Goal overhead(final Subject scheduler)
    {
        return new Goal(SchedBenchmark.algorithm(scheduler) + ": scheduler thread with " + SchedBenchmarkConfig.OVERHEAD_VCPUS +
            " busy vCPUs <= " + MAX_SCHEDULER_CPU_PERCENT + "% of one CPU", Metric.SCHEDULER_CPU, SCOPE, OURS_WAIT, scheduler, List.of(),
            MAX_SCHEDULER_CPU_PERCENT);
    }
}
