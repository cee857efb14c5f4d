package org.coopvm.perf.report;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Renders a {@link RingsReport} as the plain-text table {@code coop bench rings} prints.
 * Stateless; any thread.
 */
public final class ReportTable
{
    private static final String NEWLINE = System.lineSeparator();

    private ReportTable()
    {
    }

    /**
     * @param report the run to render.
     * @return the table, lines separated by the platform line separator, ending with one.
     */
    public static String render(final RingsReport report)
    {
        final StringBuilder out = new StringBuilder();
        header(out, report.run());
        throughput(out, report);
        for (final Scope scope : Scope.values())
        {
            for (final WaitMode wait : WaitMode.values())
            {
                roundTrip(out, report, scope, wait);
            }
        }
        idleCpu(out, report);
        goals(out, report.goalResults());
        failures(out, report.run().failures());
        section(out, "Setup");
        report.run().notes().forEach(note -> line(out, "  - %s", note));
        return out.toString();
    }

    private static void header(final StringBuilder out, final RunInfo run)
    {
        line(out, "CoopVM ring benchmarks (%s run, %d CPUs, %s, %s), started %s, took %ds",
            run.mode(), run.availableProcessors(), run.os(), run.jvm(), run.startedAt(), run.elapsed().toSeconds());
    }

    private static void throughput(final StringBuilder out, final RingsReport report)
    {
        final List<Figure> rows = select(report, Metric.THROUGHPUT, Scope.THREADS, WaitMode.SPINNING);
        if (rows.isEmpty())
        {
            return;
        }
        section(out, "One-way throughput, 64-byte messages, two threads");
        line(out, "  %-34s %16s   %s", "subject", "msg/s", "ours/best peer");
        for (final Figure row : rows)
        {
            line(out, "  %-34s %16s   %s", label(row.subject()), number(row.value()), versusPeer(report, row));
        }
    }

    private static void roundTrip(final StringBuilder out, final RingsReport report, final Scope scope, final WaitMode wait)
    {
        final List<Figure> medians = select(report, Metric.RTT_P50, scope, wait);
        if (medians.isEmpty())
        {
            return;
        }
        section(out, "Round trip, 64-byte messages, " + scope.displayName() + ", " + wait.id());
        line(out, "  %-34s %10s %10s %10s   %s", "subject", "p50 ns", "p99 ns", "p99.9 ns", "p50 ours/best peer");
        for (final Figure median : medians)
        {
            line(out, "  %-34s %10s %10s %10s   %s", label(median.subject()), number(median.value()),
                percentile(report, median, Metric.RTT_P99), percentile(report, median, Metric.RTT_P999),
                versusPeer(report, median));
        }
    }

    private static void idleCpu(final StringBuilder out, final RingsReport report)
    {
        final List<Figure> rows = report.figures().stream().filter(f -> f.metric() == Metric.IDLE_CPU).toList();
        if (rows.isEmpty())
        {
            return;
        }
        section(out, "Idle waiter CPU, one thread waiting on an empty transport (default wait strategy)");
        line(out, "  %-34s %16s", "subject", Metric.IDLE_CPU.unit());
        for (final Figure row : rows)
        {
            line(out, "  %-34s %16s", label(row.subject()), String.format(Locale.ROOT, "%.3f", row.value()));
        }
    }

    private static void goals(final StringBuilder out, final List<GoalResult> results)
    {
        section(out, "Goals");
        final int nameWidth = results.stream().mapToInt(result -> result.goal().name().length()).max().orElse(1);
        for (final GoalResult result : results)
        {
            line(out, "  %-13s %-" + nameWidth + "s   %s", result.status().name().replace('_', ' '),
                result.goal().name(), outcome(result));
        }
    }

    private static void failures(final StringBuilder out, final List<String> failures)
    {
        if (failures.isEmpty())
        {
            return;
        }
        section(out, "Failed measurements (their figures are missing)");
        failures.forEach(failure -> line(out, "  %s", failure));
    }

    private static String outcome(final GoalResult result)
    {
        final Goal goal = result.goal();
        if (result.status() == GoalResult.Status.NOT_MEASURED)
        {
            return "";
        }
        if (goal.absolute())
        {
            return String.format(Locale.ROOT, "%.3f %s (limit %s %.3f)",
                result.oursValue(), goal.metric().unit(), goal.comparison(), goal.limit());
        }
        return String.format(Locale.ROOT, "ratio %.2f (limit %s %.2f)", result.ratio(), goal.comparison(), goal.limit());
    }

    private static List<Figure> select(final RingsReport report, final Metric metric, final Scope scope, final WaitMode wait)
    {
        return report.figures().stream().filter(f -> f.isOf(metric, scope, wait)).toList();
    }

    private static String percentile(final RingsReport report, final Figure median, final Metric metric)
    {
        return Figures.find(report.figures(), median.subject(), metric, median.scope(), median.waitMode())
            .map(f -> number(f.value())).orElse("-");
    }

    private static String versusPeer(final RingsReport report, final Figure figure)
    {
        if (!figure.subject().ours())
        {
            return "";
        }
        final Optional<Figure> peer = Figures.bestPeer(report.figures(), figure);
        return peer.map(p -> String.format(Locale.ROOT, "%.2f (%s)", figure.value() / p.value(), p.subject().displayName()))
            .orElse("no peer measured");
    }

    private static String label(final Subject subject)
    {
        return subject.ours() ? subject.displayName() + " (ours)" : subject.displayName();
    }

    private static String number(final double value)
    {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    private static void section(final StringBuilder out, final String title)
    {
        out.append(NEWLINE);
        line(out, "%s", title);
    }

    private static void line(final StringBuilder out, final String format, final Object... args)
    {
        out.append(String.format(Locale.ROOT, format, args).stripTrailing()).append(NEWLINE);
    }
}
