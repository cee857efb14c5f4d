package org.coopvm.perf.sched;

import org.coopvm.perf.report.Figure;
import org.coopvm.perf.report.GoalResult;
import org.coopvm.perf.report.Metric;
import org.coopvm.perf.report.ReportJson;
import org.coopvm.perf.report.RingsReport;
import org.coopvm.perf.report.Subject;
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
 * A tiny {@code coop bench sched} run (windows of a few hundred ms, two slots, two burners, the
 * wake-up setups in two interleaved rounds): every
 * figure of the four parts is measured and plausible, the table and the JSON carry them and the
 * goals, and no run directory, guest thread or scheduler thread is left behind. It checks that
 * the benchmark works, not how fast the scheduler is.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SchedBenchmarkTest
{
    private Path base;

    @BeforeEach
    void makeBase() throws IOException
    {
        base = Files.createTempDirectory(Path.of("/dev/shm"), "schedbench-test-");
    }

    @AfterEach
    void removeBase() throws IOException
    {
        Files.deleteIfExists(base);
    }

    @Test
    void tinyRunMeasuresEveryFigureAndLeavesNothingBehind() throws IOException
    {
        final Duration shortWindow = Duration.ofMillis(300);
        final SchedBenchmarkConfig config = new SchedBenchmarkConfig("test", "test", 2, 2, Duration.ofMillis(100), shortWindow,
            Duration.ofMillis(50), shortWindow, 2, Duration.ofMillis(100), shortWindow, 8, 1, 20_000, base);
        final List<String> progress = new ArrayList<>();

        final RingsReport report = SchedBenchmark.run(config, progress::add);

        assertThat(report.run().failures()).isEmpty();
        for (final Subject scheduler : List.of(Subject.SCHED_CREDIT, Subject.SCHED_CREDIT2))
        {
            assertThat(value(report, scheduler, Metric.JAIN_INDEX)).as(scheduler + " Jain").isBetween(1.0 / 7, 1.0 + 1e-9);
            assertThat(value(report, scheduler, Metric.SHARE_RATIO_MIN)).isLessThanOrEqualTo(value(report, scheduler, Metric.SHARE_RATIO_MAX));
            assertThat(value(report, scheduler, Metric.SCHEDULER_CPU)).as(scheduler + " scheduler CPU").isPositive();
            assertThat(value(report, scheduler, Metric.GUESTS_CPU)).as(scheduler + " guests CPU").isPositive();
            assertThat(value(report, scheduler, Metric.NS_PER_DECISION)).isPositive();
        }
        for (final Subject wake : List.of(Subject.SCHED_CREDIT, Subject.SCHED_CREDIT2, Subject.WAKE_FREE_SLOT, Subject.WAKE_NO_SLOTS,
            Subject.WAKE_IDLE_HOST))
        {
            assertThat(value(report, wake, Metric.ONE_WAY_P50)).as(wake + " p50").isPositive()
                .isLessThanOrEqualTo(value(report, wake, Metric.ONE_WAY_P99));
        }
        assertThat(value(report, Subject.SCHED_ADJUST, Metric.CALL_P50)).isPositive()
            .isLessThanOrEqualTo(value(report, Subject.SCHED_ADJUST, Metric.ONE_WAY_P99));
        assertThat(value(report, Subject.ROUND_ROBIN_PICKER, Metric.NS_PER_DECISION)).isPositive();
        assertThat(report.goalResults()).extracting(GoalResult::status).doesNotContain(GoalResult.Status.NOT_MEASURED);

        assertThat(SchedReportTable.render(report)).contains("Jain index", "credit2", "no slots: raw doorbell wake",
            "idle host", "cpu-scheduler", "applied: the agent's next duty cycle is done", "round-robin", "Goals (issue 6)",
            "load average", "weight 1024 got", "of the slot time");
        assertThat(ReportJson.toTree(report).get("figures")).anySatisfy(figure ->
            assertThat(figure.get("id").asText()).isEqualTo("jain-index.threads.spin-then-sleep.sched-credit"));
        try (Stream<Path> left = Files.list(base))
        {
            assertThat(left).as("run directories").isEmpty();
        }
        assertThat(Thread.getAllStackTraces().keySet()).filteredOn(Thread::isAlive).extracting(Thread::getName)
            .noneMatch(name -> name.startsWith("dom") || name.startsWith("cpu-scheduler") || name.startsWith("hypercall-dispatcher"));
    }

    private static double value(final RingsReport report, final Subject subject, final Metric metric)
    {
        return report.figures().stream().filter(f -> f.subject() == subject && f.metric() == metric).map(Figure::value).findFirst()
            .orElseThrow(() -> new AssertionError(subject + " " + metric + " missing"));
    }
}
