package org.coopvm.perf.net;

import org.coopvm.perf.report.Figure;
import org.coopvm.perf.report.Figures;
import org.coopvm.perf.report.GoalResult;
import org.coopvm.perf.report.Metric;
import org.coopvm.perf.report.RingsReport;
import org.coopvm.perf.report.Subject;

import java.util.Locale;
import java.util.Optional;

import static org.coopvm.perf.report.TableText.failuresAndSetup;
import static org.coopvm.perf.report.TableText.goals;
import static org.coopvm.perf.report.TableText.header;
import static org.coopvm.perf.report.TableText.line;
import static org.coopvm.perf.report.TableText.section;

/**
 * Renders a {@code coop bench net} report as a plain-text table: the guests' stream next to
 * memcpy of the same frames, the guests' round trip next to the raw ring's, each with ours as a
 * ratio; then the goal (met or not met), failures and setup notes. Stateless; any thread.
 */
public final class NetReportTable
{
    private static final String STREAM_ROW = "  %-60s %10s   %s";
    private static final String RTT_ROW = "  %-60s %10s %10s   %s";

    private NetReportTable()
    {
    }

    /**
     * @param report the run to render.
     * @return the table, lines separated by the platform line separator, ending with one.
     */
    public static String render(final RingsReport report)
    {
        final StringBuilder out = new StringBuilder();
        header(out, "CoopVM network benchmark", report.run());
        section(out, "Single stream between two process guests, and memcpy of the same frames in one thread");
        line(out, STREAM_ROW, "subject", "Gbit/s", "ours / memcpy");
        line(out, STREAM_ROW, Subject.NET_STREAM.displayName() + " (ours)", gbits(report, Subject.NET_STREAM),
            ratioText(report, Subject.NET_STREAM, Subject.MEMCPY_FRAMES, Metric.GBIT_PER_SECOND));
        line(out, STREAM_ROW, Subject.MEMCPY_FRAMES.displayName(), gbits(report, Subject.MEMCPY_FRAMES), "");
        section(out, "Round trip between two process guests, and the raw Xen ring's between two processes");
        line(out, RTT_ROW, "subject", "p50 (us)", "p99 (us)", "ours / raw ring (p50, p99)");
        line(out, RTT_ROW, Subject.NET_ROUND_TRIP.displayName() + " (ours)", micros(report, Subject.NET_ROUND_TRIP, Metric.RTT_P50),
            micros(report, Subject.NET_ROUND_TRIP, Metric.RTT_P99),
            ratioText(report, Subject.NET_ROUND_TRIP, Subject.XEN_RING, Metric.RTT_P50) + ", " +
                ratioText(report, Subject.NET_ROUND_TRIP, Subject.XEN_RING, Metric.RTT_P99));
        line(out, RTT_ROW, Subject.XEN_RING.displayName() + ", two processes, spin then sleep (raw ring)",
            micros(report, Subject.XEN_RING, Metric.RTT_P50), micros(report, Subject.XEN_RING, Metric.RTT_P99), "");
        goals(out, "Goals (issue 7)", report.goalResults(), NetReportTable::goalValue);
        failuresAndSetup(out, report.run());
        return out.toString();
    }

    /**
     * @param report the run.
     * @param ours   our subject.
     * @param floor  what it is compared with.
     * @param metric the metric of both.
     * @return ours / floor, {@code NaN} when either is missing.
     */
    public static double ratio(final RingsReport report, final Subject ours, final Subject floor, final Metric metric)
    {
        final Optional<Figure> oursFigure = find(report, ours, metric);
        final Optional<Figure> floorFigure = find(report, floor, metric);
        return oursFigure.isPresent() && floorFigure.isPresent() ? oursFigure.get().value() / floorFigure.get().value() : Double.NaN;
    }

    private static String ratioText(final RingsReport report, final Subject ours, final Subject floor, final Metric metric)
    {
        final double ratio = ratio(report, ours, floor, metric);
        return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.3g", ratio); // three digits, also for 0.00xyz
    }

    private static String goalValue(final GoalResult result)
    {
        return String.format(Locale.ROOT, "%.2f Gbit/s (limit %s %.1f Gbit/s)", result.oursValue(), result.goal().comparison(),
            result.goal().limit());
    }

    private static String gbits(final RingsReport report, final Subject subject)
    {
        return find(report, subject, Metric.GBIT_PER_SECOND).map(f -> String.format(Locale.ROOT, "%.2f", f.value())).orElse("-");
    }

    private static String micros(final RingsReport report, final Subject subject, final Metric metric)
    {
        return find(report, subject, metric).map(f -> String.format(Locale.ROOT, "%.1f", f.value() / 1000)).orElse("-");
    }

    private static Optional<Figure> find(final RingsReport report, final Subject subject, final Metric metric)
    {
        return Figures.find(report.figures(), subject, metric, NetGoals.SCOPE, NetGoals.WAIT);
    }
}
