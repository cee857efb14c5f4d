package org.coopvm.perf.block;

import org.coopvm.perf.report.Figure;
import org.coopvm.perf.report.Figures;
import org.coopvm.perf.report.Goal;
import org.coopvm.perf.report.GoalResult;
import org.coopvm.perf.report.Metric;
import org.coopvm.perf.report.RingsReport;
import org.coopvm.perf.report.Subject;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static org.coopvm.perf.report.TableText.failuresAndSetup;
import static org.coopvm.perf.report.TableText.header;
import static org.coopvm.perf.report.TableText.line;
import static org.coopvm.perf.report.TableText.section;
import static org.coopvm.perf.report.TableText.status;

/**
 * Renders a {@code coop bench block} report as a plain-text table: for each case, ours (through
 * blkfront and blkback) and direct {@code FileChannel} I/O on the same image, IOPS and MB/s, with
 * ours as a ratio to direct; then the goals (met or not met), failures and setup notes.
 * Stateless; any thread.
 */
public final class BlockReportTable
{
    private static final String ROW = "  %-52s %12s %10s   %s";

    private BlockReportTable()
    {
    }

    /**
     * @param report the run to render.
     * @return the table, lines separated by the platform line separator, ending with one.
     */
    public static String render(final RingsReport report)
    {
        final StringBuilder out = new StringBuilder();
        header(out, "CoopVM block benchmark", report.run());
        section(out, "One guest's disk through blkfront/blkback, and FileChannel on the same image from one thread");
        line(out, ROW, "subject", "IOPS", "MB/s", "ours / direct");
        for (final IoCase ioCase : IoCase.ALL)
        {
            row(out, report, ioCase.ours(), ratio(report, ioCase));
            row(out, report, ioCase.direct(), "");
        }
        goals(out, report.goalResults());
        failuresAndSetup(out, report.run());
        return out.toString();
    }

    private static String ratio(final RingsReport report, final IoCase ioCase)
    {
        final Optional<Figure> ours = find(report, ioCase.ours(), ioCase.metric());
        final Optional<Figure> direct = find(report, ioCase.direct(), ioCase.metric());
        return ours.isPresent() && direct.isPresent() ?
            String.format(Locale.ROOT, "%.2f (%s)", ours.get().value() / direct.get().value(), ioCase.metric().unit()) : "-";
    }

    private static void row(final StringBuilder out, final RingsReport report, final Subject subject, final String ratio)
    {
        final Optional<Figure> iops = find(report, subject, Metric.OPS_PER_SECOND);
        if (iops.isEmpty())
        {
            return;
        }
        final String label = subject.ours() ? subject.displayName() + " (ours)" : subject.displayName();
        line(out, ROW, label, String.format(Locale.ROOT, "%,.0f", iops.get().value()),
            find(report, subject, Metric.MB_PER_SECOND).map(f -> String.format(Locale.ROOT, "%.1f", f.value())).orElse("-"), ratio);
    }

    private static void goals(final StringBuilder out, final List<GoalResult> results)
    {
        section(out, "Goals (issue 7)");
        final int nameWidth = results.stream().mapToInt(result -> result.goal().name().length()).max().orElse(1);
        for (final GoalResult result : results)
        {
            final Goal goal = result.goal();
            final String status = status(result);
            final String value = result.status() == GoalResult.Status.NOT_MEASURED ? "" :
                String.format(Locale.ROOT, "%.2fx (limit %s %.2fx)", result.ratio(), goal.comparison(), goal.limit());
            line(out, "  %-13s %-" + nameWidth + "s   %s", status, goal.name(), value);
        }
    }

    private static Optional<Figure> find(final RingsReport report, final Subject subject, final Metric metric)
    {
        return Figures.find(report.figures(), subject, metric, BlockGoals.SCOPE, BlockGoals.WAIT);
    }
}
