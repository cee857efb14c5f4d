package org.coopvm.perf.xenstore;

import org.coopvm.perf.report.Figure;
import org.coopvm.perf.report.Figures;
import org.coopvm.perf.report.Metric;
import org.coopvm.perf.report.ReportJson;
import org.coopvm.perf.report.RingsReport;
import org.coopvm.perf.report.Scope;
import org.coopvm.perf.report.Subject;
import org.coopvm.perf.report.WaitMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tiny end-to-end {@code coop bench xenstore} run: every operation on both transports is
 * measured with ordered percentiles, the table and JSON carry them, and no socket, file, serving
 * thread or child process is left behind.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class XenstoreBenchmarkTest
{
    private static final List<Subject> OURS = List.of(Subject.XENSTORE_SOCKET_READ, Subject.XENSTORE_SOCKET_WRITE,
        Subject.XENSTORE_RING_READ, Subject.XENSTORE_RING_WRITE);

    private Path base;

    @BeforeEach
    void makeBase() throws IOException
    {
        base = Files.createTempDirectory(Path.of("/dev/shm"), "xsbench-test-");
    }

    @AfterEach
    void removeBase() throws IOException
    {
        Files.deleteIfExists(base);
    }

    @Test
    void tinyRunMeasuresEveryOperationAndLeavesNothingBehind() throws IOException
    {
        final boolean toolsInstalled = XenstoreBenchmark.onPath("xenstore-read").isPresent() &&
            XenstoreBenchmark.onPath("xenstore-write").isPresent();
        final XenstoreBenchmarkConfig config = new XenstoreBenchmarkConfig("test", "test", 500, 2_000, 2,
            Duration.ofSeconds(60), base);
        final List<String> progress = new ArrayList<>();

        final RingsReport report = XenstoreBenchmark.run(config, progress::add);

        assertThat(report.run().failures()).isEmpty();
        for (final Subject subject : OURS)
        {
            assertOrdered(report, subject, Scope.THREADS);
        }
        if (toolsInstalled)
        {
            assertOrdered(report, Subject.XENSTORE_UTILS_READ, Scope.PROCESSES);
            assertOrdered(report, Subject.XENSTORE_UTILS_WRITE, Scope.PROCESSES);
        }
        assertThat(XenstoreReportTable.render(report)).contains("xenstore READ, guest over ring", "xenstore WRITE, tool " +
            "over Unix socket", "p99.9 ns", "load average");
        assertThat(ReportJson.toTree(report).get("figures").size()).isEqualTo(report.figures().size());
        try (Stream<Path> left = Files.list(base))
        {
            assertThat(left).as("run directory and socket").isEmpty();
        }
        assertThat(Thread.getAllStackTraces().keySet()).filteredOn(Thread::isAlive)
            .extracting(Thread::getName).noneMatch(name -> name.startsWith("xenstored"));
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)).as("child processes").isEmpty();
    }

    private static void assertOrdered(final RingsReport report, final Subject subject, final Scope scope)
    {
        final double ops = value(report, subject, Metric.OPS_PER_SECOND, scope);
        final double p50 = value(report, subject, Metric.RTT_P50, scope);
        final double p99 = value(report, subject, Metric.RTT_P99, scope);
        final double p999 = value(report, subject, Metric.RTT_P999, scope);
        assertThat(ops).as(subject + " ops/s").isPositive();
        assertThat(p50).as(subject + " p50").isPositive();
        assertThat(p99).as(subject + " p99").isGreaterThanOrEqualTo(p50);
        assertThat(p999).as(subject + " p99.9").isGreaterThanOrEqualTo(p99);
    }

    private static double value(final RingsReport report, final Subject subject, final Metric metric, final Scope scope)
    {
        return Figures.find(report.figures(), subject, metric, scope, WaitMode.BLOCKING).map(Figure::value)
            .orElseThrow(() -> new AssertionError(subject + " " + metric + " missing"));
    }
}
