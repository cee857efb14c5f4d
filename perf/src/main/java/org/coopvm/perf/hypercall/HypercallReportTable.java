package org.coopvm.perf.hypercall;

import org.coopvm.perf.report.Figure;
import org.coopvm.perf.report.Figures;
import org.coopvm.perf.report.Goal;
import org.coopvm.perf.report.GoalResult;
import org.coopvm.perf.report.Metric;
import org.coopvm.perf.report.RingsReport;
import org.coopvm.perf.report.RunInfo;
import org.coopvm.perf.report.Scope;
import org.coopvm.perf.report.Subject;
import org.coopvm.perf.report.WaitMode;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static org.coopvm.perf.report.TableText.failuresAndSetup;
import static org.coopvm.perf.report.TableText.header;
import static org.coopvm.perf.report.TableText.line;
import static org.coopvm.perf.report.TableText.section;

/**
 * Renders a {@code coop bench hypercalls} report as a plain-text table: per wait mode, the raw
 * ring round trips, the null hypercall and the event channel (round trip and one way), each p50
 * next to the raw message channel's; then the goals with their ratio, failures and setup notes.
 * Stateless; any thread.
 */
public final class HypercallReportTable
{
    private static final String ROW = "  %-48s %10s %10s %10s   %s";
    private static final List<Row> ROWS = List.of(
        new Row(Subject.CHANNEL, Metric.RTT_P50, Metric.RTT_P99, Metric.RTT_P999, "raw round trip"),
        new Row(Subject.XEN_RING, Metric.RTT_P50, Metric.RTT_P99, Metric.RTT_P999, "raw round trip"),
        new Row(Subject.NULL_HYPERCALL, Metric.RTT_P50, Metric.RTT_P99, Metric.RTT_P999, "round trip"),
        new Row(Subject.EVENT_CHANNEL, Metric.RTT_P50, Metric.RTT_P99, Metric.RTT_P999, "round trip"),
        new Row(Subject.EVENT_CHANNEL, Metric.ONE_WAY_P50, Metric.ONE_WAY_P99, Metric.ONE_WAY_P999, "send to upcall"));

    private HypercallReportTable()
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
        header(out, "CoopVM hypercall benchmarks", run);
        for (final WaitMode wait : WaitMode.values())
        {
            waitMode(out, report, wait);
        }
        goals(out, report.goalResults());
        failuresAndSetup(out, run);
        return out.toString();
    }

    private static void waitMode(final StringBuilder out, final RingsReport report, final WaitMode wait)
    {
        if (report.figures().stream().noneMatch(f -> f.waitMode() == wait))
        {
            return;
        }
        section(out, "Two processes, " + wait.id() + " (latency in ns)");
        line(out, ROW, "subject", "p50", "p99", "p99.9", "p50 / raw " + Subject.CHANNEL.displayName());
        final Optional<Figure> channel = Figures.find(report.figures(), Subject.CHANNEL, Metric.RTT_P50, Scope.PROCESSES, wait);
        for (final Row row : ROWS)
        {
            final Optional<Figure> median = find(report, row.subject(), row.p50(), wait);
            if (median.isPresent())
            {
                line(out, ROW, row.subject().displayName() + ", " + row.what(), number(median), number(find(report, row.subject(),
                    row.p99(), wait)), number(find(report, row.subject(), row.p999(), wait)), ratio(median.get(), channel));
            }
        }
    }

    private static void goals(final StringBuilder out, final List<GoalResult> results)
    {
        section(out, "Goals");
        final int nameWidth = results.stream().mapToInt(result -> result.goal().name().length()).max().orElse(1);
        for (final GoalResult result : results)
        {
            final Goal goal = result.goal();
            final String outcome = result.status() == GoalResult.Status.NOT_MEASURED ? "" : String.format(Locale.ROOT,
                "%,.0f ns / %,.0f ns = ratio %.2f (limit %s %.2f)", result.oursValue(), result.peerValue(), result.ratio(),
                goal.comparison(), goal.limit());
            line(out, "  %-13s %-" + nameWidth + "s   %s", result.status().name().replace('_', ' '), goal.name(), outcome);
        }
    }

    private static Optional<Figure> find(final RingsReport report, final Subject subject, final Metric metric, final WaitMode wait)
    {
        return Figures.find(report.figures(), subject, metric, Scope.PROCESSES, wait);
    }

    private static String ratio(final Figure median, final Optional<Figure> channel)
    {
        return channel.map(c -> String.format(Locale.ROOT, "%.2f", median.value() / c.value())).orElse("-");
    }

    private static String number(final Optional<Figure> figure)
    {
        return figure.map(f -> String.format(Locale.ROOT, "%,.0f", f.value())).orElse("-");
    }

    private record Row(Subject subject, Metric p50, Metric p99, Metric p999, String what)
    {
    }
}
