package org.coopvm.perf.sched;

import org.coopvm.perf.report.Figure;
import org.coopvm.perf.report.Figures;
import org.coopvm.perf.report.GoalResult;
import org.coopvm.perf.report.Metric;
import org.coopvm.perf.report.RingsReport;
import org.coopvm.perf.report.RunInfo;
import org.coopvm.perf.report.Subject;
import org.coopvm.perf.report.TableText;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.coopvm.perf.report.TableText.failuresAndSetup;
import static org.coopvm.perf.report.TableText.header;
import static org.coopvm.perf.report.TableText.line;
import static org.coopvm.perf.report.TableText.section;

/**
 * Renders a {@code coop bench sched} report as a plain-text table: fairness per algorithm, the
 * wake-to-run latencies with their ratios to the wake-up without slots, the scheduler's CPU with
 * 16 busy vCPUs, live adjusts, the pure algorithms' cost per decision with their ratio to the
 * round-robin picker; then the goals (met or not), failures and setup notes (per-guest shares are
 * there). Stateless; any thread.
 */
public final class SchedReportTable
{
    private static final List<Subject> SCHEDULERS = List.of(Subject.SCHED_CREDIT, Subject.SCHED_CREDIT2);
    private static final List<Subject> WAKE = List.of(Subject.SCHED_CREDIT, Subject.SCHED_CREDIT2, Subject.WAKE_FREE_SLOT,
        Subject.WAKE_NO_SLOTS, Subject.WAKE_IDLE_HOST);
    private static final String FAIRNESS_ROW = "  %-20s %10s %14s %14s";
    private static final String WAKE_ROW = "  %-54s %9s %9s %9s %10s %10s";
    private static final String OVERHEAD_ROW = "  %-20s %18s %12s %18s";
    private static final String COST_ROW = "  %-34s %12s %16s";

    private SchedReportTable()
    {
    }

    /**
     * @param report the run to render.
     * @return the table, lines separated by the platform line separator, ending with one.
     */
    public static String render(final RingsReport report)
    {
        final StringBuilder out = new StringBuilder();
        final RunInfo run = report.run();
        header(out, "CoopVM CPU scheduler benchmark", run);
        fairness(out, report);
        wake(out, report);
        overhead(out, report);
        cost(out, report);
        goals(out, report.goalResults());
        failuresAndSetup(out, run);
        return out.toString();
    }

    private static void fairness(final StringBuilder out, final RingsReport report)
    {
        section(out, "Fairness: " + FairnessRun.WEIGHTS.length + " weighted cpu-burn guests (per guest: see Setup)");
        line(out, FAIRNESS_ROW, "scheduler", "Jain index", "min ach./ent.", "max ach./ent.");
        for (final Subject s : SCHEDULERS)
        {
            line(out, FAIRNESS_ROW, SchedBenchmark.algorithm(s), format(report, s, Metric.JAIN_INDEX, "%.4f"),
                format(report, s, Metric.SHARE_RATIO_MIN, "%.3f"), format(report, s, Metric.SHARE_RATIO_MAX, "%.3f"));
        }
    }

    private static void wake(final StringBuilder out, final RingsReport report)
    {
        section(out, "Wake-to-run: dom0 raises VIRQ_TIMER on a blocked vCPU until its handler runs, under load");
        line(out, WAKE_ROW, "setup", "p50", "p99", "p99.9", "p50/no-sl", "p99/no-sl");
        final OptionalDouble p50Peer = value(report, Subject.WAKE_NO_SLOTS, Metric.ONE_WAY_P50);
        final OptionalDouble p99Peer = value(report, Subject.WAKE_NO_SLOTS, Metric.ONE_WAY_P99);
        for (final Subject s : WAKE)
        {
            final String label = s.ours() ? s.displayName() + ", P slots (ours)" : s.displayName();
            line(out, WAKE_ROW, label, micros(report, s, Metric.ONE_WAY_P50), micros(report, s, Metric.ONE_WAY_P99),
                micros(report, s, Metric.ONE_WAY_P999), ratio(value(report, s, Metric.ONE_WAY_P50), p50Peer),
                ratio(value(report, s, Metric.ONE_WAY_P99), p99Peer));
        }
    }

    private static void overhead(final StringBuilder out, final RingsReport report)
    {
        section(out, "Scheduler CPU with " + SchedBenchmarkConfig.OVERHEAD_VCPUS + " busy vCPUs (% of one CPU)");
        line(out, OVERHEAD_ROW, "scheduler", "cpu-scheduler", "guests", "scheduler/guests");
        for (final Subject s : SCHEDULERS)
        {
            line(out, OVERHEAD_ROW, SchedBenchmark.algorithm(s), format(report, s, Metric.SCHEDULER_CPU, "%.3f%%"),
                format(report, s, Metric.GUESTS_CPU, "%.1f%%"),
                ratio(value(report, s, Metric.SCHEDULER_CPU), value(report, s, Metric.GUESTS_CPU), "%.5f"));
        }
        section(out, "Live adjust of a busy domain's weight or slice (credit)");
        line(out, "  %-44s %10s %10s", "", "p50", "p99");
        line(out, "  %-44s %10s %10s", "call returns", micros(report, Subject.SCHED_ADJUST, Metric.CALL_P50),
            micros(report, Subject.SCHED_ADJUST, Metric.CALL_P99));
        line(out, "  %-44s %10s %10s", "applied: the agent's next duty cycle is done", micros(report, Subject.SCHED_ADJUST,
            Metric.ONE_WAY_P50), micros(report, Subject.SCHED_ADJUST, Metric.ONE_WAY_P99));
    }

    private static void cost(final StringBuilder out, final RingsReport report)
    {
        section(out, "Pure algorithm: cost per decision (charge + schedule + share of ticks), virtual clock");
        line(out, COST_ROW, "algorithm", "ns/decision", "/ round-robin");
        final OptionalDouble peer = value(report, Subject.ROUND_ROBIN_PICKER, Metric.NS_PER_DECISION);
        for (final Subject s : List.of(Subject.SCHED_CREDIT, Subject.SCHED_CREDIT2, Subject.ROUND_ROBIN_PICKER))
        {
            line(out, COST_ROW, s.ours() ? SchedBenchmark.algorithm(s) + " (ours)" : s.displayName(),
                format(report, s, Metric.NS_PER_DECISION, "%.0f"), ratio(value(report, s, Metric.NS_PER_DECISION), peer));
        }
    }

    private static void goals(final StringBuilder out, final List<GoalResult> results)
    {
        TableText.goals(out, "Goals (issue 6)", results, result -> switch (result.goal().metric())
        {
            case ONE_WAY_P99 -> String.format(Locale.ROOT, "%.1f us", result.oursValue() / 1e3);
            case SCHEDULER_CPU -> String.format(Locale.ROOT, "%.3f%%", result.oursValue());
            default -> String.format(Locale.ROOT, "%.4f", result.oursValue());
        });
    }

    private static OptionalDouble value(final RingsReport report, final Subject subject, final Metric metric)
    {
        Optional<Figure> figure = Figures.find(report.figures(), subject, metric, SchedGoals.SCOPE, SchedGoals.OURS_WAIT);
        if (figure.isEmpty())
        {
            figure = Figures.find(report.figures(), subject, metric, SchedGoals.SCOPE, SchedGoals.PEER_WAIT);
        }
        return figure.map(f -> OptionalDouble.of(f.value())).orElse(OptionalDouble.empty());
    }

    private static String format(final RingsReport report, final Subject subject, final Metric metric, final String format)
    {
        final OptionalDouble v = value(report, subject, metric);
        return v.isPresent() ? String.format(Locale.ROOT, format, v.getAsDouble()) : "-";
    }

    private static String micros(final RingsReport report, final Subject subject, final Metric metric)
    {
        final OptionalDouble v = value(report, subject, metric);
        return v.isPresent() ? String.format(Locale.ROOT, "%.1f us", v.getAsDouble() / 1e3) : "-";
    }

    private static String ratio(final OptionalDouble ours, final OptionalDouble peer)
    {
        return ratio(ours, peer, "%.2f");
    }

    private static String ratio(final OptionalDouble ours, final OptionalDouble peer, final String format)
    {
        return ours.isPresent() && peer.isPresent() && peer.getAsDouble() > 0 ?
            String.format(Locale.ROOT, format, ours.getAsDouble() / peer.getAsDouble()) : "-";
    }
}
