package org.coopvm.perf.balloon;

import org.coopvm.perf.report.Figure;
import org.coopvm.perf.report.Figures;
import org.coopvm.perf.report.Goal;
import org.coopvm.perf.report.GoalResult;
import org.coopvm.perf.report.Metric;
import org.coopvm.perf.report.RingsReport;
import org.coopvm.perf.report.RunInfo;
import org.coopvm.perf.report.Subject;
import org.coopvm.perf.report.TableText;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static org.coopvm.perf.report.TableText.failuresAndSetup;
import static org.coopvm.perf.report.TableText.header;
import static org.coopvm.perf.report.TableText.line;
import static org.coopvm.perf.report.TableText.section;

/**
 * Renders a {@code coop bench balloon} report as a plain-text table: our inflate and deflate
 * (seconds, GiB/s, fraction returned), the mechanism floor measured in the same run and the
 * recorded virtio-balloon anchors, each with the inflate's speed as a ratio to it; then the goals
 * (met or not met), failures and setup notes. Stateless; any thread.
 */
public final class BalloonReportTable
{
    private static final String ROW = "  %-58s %9s %9s %9s   %s";
    private static final List<Subject> OURS = List.of(Subject.BALLOON_INFLATE, Subject.BALLOON_DEFLATE);
    private static final List<Subject> FLOOR = List.of(Subject.PUNCH_HOLE, Subject.MADV_DONTNEED);
    private static final List<Subject> RECORDED = List.of(Subject.VIRTIO_BALLOON, Subject.VIRTIO_BALLOON_SG);

    private BalloonReportTable()
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
        final Optional<Figure> inflate = find(report, Subject.BALLOON_INFLATE, Metric.GIB_PER_SECOND);
        header(out, "CoopVM balloon benchmark", run);
        section(out, "One guest, all its memory touched, inflated and deflated through memory/target");
        line(out, ROW, "subject", "seconds", "GiB/s", "returned", "inflate GiB/s / this");
        OURS.forEach(subject -> row(out, report, subject, inflate));
        section(out, "The mechanism floor on this machine, one system call on the same amount");
        FLOOR.forEach(subject -> row(out, report, subject, inflate));
        section(out, "Recorded references (issue 5), NOT measured here");
        RECORDED.forEach(subject -> row(out, report, subject, inflate));
        goals(out, report.goalResults());
        failuresAndSetup(out, run);
        return out.toString();
    }

    private static void row(final StringBuilder out, final RingsReport report, final Subject subject,
        final Optional<Figure> inflate)
    {
        final Optional<Figure> speed = find(report, subject, Metric.GIB_PER_SECOND);
        if (speed.isEmpty())
        {
            return;
        }
        final String label = subject.ours() ? subject.displayName() + " (ours)" : subject.displayName();
        final String ratio = subject == Subject.BALLOON_INFLATE ? "" :
            inflate.map(ours -> String.format(Locale.ROOT, "%.2f", ours.value() / speed.get().value())).orElse("-");
        line(out, ROW, label, format(find(report, subject, Metric.SECONDS), "%.4f"), format(speed, "%.2f"),
            percent(find(report, subject, Metric.RETURNED_FRACTION)), ratio);
    }

    private static void goals(final StringBuilder out, final List<GoalResult> results)
    {
        TableText.goals(out, "Goals (issue 5)", results, result ->
        {
            final Goal goal = result.goal();
            return goal.metric() == Metric.RETURNED_FRACTION ?
                String.format(Locale.ROOT, "%.2f%% (limit %s %.0f%%)", result.oursValue() * 100, goal.comparison(), goal.limit() * 100) :
                String.format(Locale.ROOT, "%.2f %s (limit %s %.2f)", result.oursValue(), goal.metric().unit(), goal.comparison(),
                    goal.limit());
        });
    }

    private static Optional<Figure> find(final RingsReport report, final Subject subject, final Metric metric)
    {
        final Optional<Figure> ours = Figures.find(report.figures(), subject, metric, BalloonGoals.SCOPE, BalloonGoals.OURS_WAIT);
        return ours.isPresent() ? ours :
            Figures.find(report.figures(), subject, metric, BalloonGoals.SCOPE, BalloonGoals.OURS_WAIT.peerMode());
    }

    private static String format(final Optional<Figure> figure, final String format)
    {
        return figure.map(f -> String.format(Locale.ROOT, format, f.value())).orElse("-");
    }

    private static String percent(final Optional<Figure> figure)
    {
        return figure.map(f -> String.format(Locale.ROOT, "%.2f%%", f.value() * 100)).orElse("-");
    }
}
