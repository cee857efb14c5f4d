package org.coopvm.perf.xenstore;

import org.coopvm.perf.report.Figure;
import org.coopvm.perf.report.Figures;
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
 * Renders a {@code coop bench xenstore} report as a plain-text table: one row per operation and
 * transport with operations per second and p50/p99/p99.9 latency, the reference rows of Xen's
 * tools marked as such, then failures and setup notes. Stateless; any thread.
 */
public final class XenstoreReportTable
{
    private static final String ROW = "  %-46s %12s %12s %12s %12s";
    private static final List<Subject> OURS = List.of(Subject.XENSTORE_SOCKET_READ, Subject.XENSTORE_SOCKET_WRITE,
        Subject.XENSTORE_RING_READ, Subject.XENSTORE_RING_WRITE);
    private static final List<Subject> REFERENCE = List.of(Subject.XENSTORE_UTILS_READ, Subject.XENSTORE_UTILS_WRITE);

    private XenstoreReportTable()
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
        header(out, "CoopVM xenstore benchmarks", run);
        section(out, "One request at a time against a real xenstored, " + XenstoreBenchmark.VALUE_LENGTH + "-byte values");
        line(out, ROW, "operation", "ops/s", "p50 ns", "p99 ns", "p99.9 ns");
        OURS.forEach(subject -> row(out, report, subject, Scope.THREADS));
        if (REFERENCE.stream().anyMatch(subject -> find(report, subject, Metric.OPS_PER_SECOND, Scope.PROCESSES).isPresent()))
        {
            section(out, "Reference only: one process of Xen's tool per operation (start-up cost, not xenstored)");
            REFERENCE.forEach(subject -> row(out, report, subject, Scope.PROCESSES));
        }
        failuresAndSetup(out, run);
        return out.toString();
    }

    private static void row(final StringBuilder out, final RingsReport report, final Subject subject, final Scope scope)
    {
        final Optional<Figure> ops = find(report, subject, Metric.OPS_PER_SECOND, scope);
        if (ops.isPresent())
        {
            line(out, ROW, subject.displayName(), number(ops), number(find(report, subject, Metric.RTT_P50, scope)),
                number(find(report, subject, Metric.RTT_P99, scope)), number(find(report, subject, Metric.RTT_P999, scope)));
        }
    }

    private static Optional<Figure> find(final RingsReport report, final Subject subject, final Metric metric, final Scope scope)
    {
        return Figures.find(report.figures(), subject, metric, scope, WaitMode.BLOCKING);
    }

    private static String number(final Optional<Figure> figure)
    {
        return figure.map(f -> String.format(Locale.ROOT, "%,.0f", f.value())).orElse("-");
    }

}
