package org.coopvm.perf.balloon;

import org.coopvm.perf.report.Figure;
import org.coopvm.perf.report.Figures;
import org.coopvm.perf.report.GoalResult;
import org.coopvm.perf.report.Metric;
import org.coopvm.perf.report.ReportJson;
import org.coopvm.perf.report.RingsReport;
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
import static org.assertj.core.api.Assertions.within;

/**
 * A tiny {@code coop bench balloon} run (16 MiB, one round): the balloon really moves through the
 * guest's driver and the memory leaves the machine, every figure and goal is in the table and the
 * JSON, the recorded anchors are marked as such, and no file, guest thread or child process is
 * left behind. It checks that the benchmark works, not how fast it is.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BalloonBenchmarkTest
{
    private Path base;

    @BeforeEach
    void makeBase() throws IOException
    {
        base = Files.createTempDirectory(Path.of("/dev/shm"), "balloonbench-test-");
    }

    @AfterEach
    void removeBase() throws IOException
    {
        Files.deleteIfExists(base);
    }

    @Test
    void tinyRunMovesTheBalloonReturnsTheMemoryAndLeavesNothingBehind() throws IOException
    {
        final BalloonBenchmarkConfig config = new BalloonBenchmarkConfig("test", "test", 16, 16, 1, Duration.ofSeconds(30), base);
        final List<String> progress = new ArrayList<>();

        final RingsReport report = BalloonBenchmark.run(config, progress::add);

        assertThat(report.run().failures()).isEmpty();
        for (final Subject subject : List.of(Subject.BALLOON_INFLATE, Subject.BALLOON_DEFLATE))
        {
            assertThat(value(report, subject, Metric.SECONDS, BalloonGoals.OURS_WAIT)).as(subject + " seconds").isPositive();
            assertThat(value(report, subject, Metric.GIB_PER_SECOND, BalloonGoals.OURS_WAIT)).as(subject + " GiB/s").isPositive();
        }
        assertThat(value(report, Subject.BALLOON_INFLATE, Metric.RETURNED_FRACTION, BalloonGoals.OURS_WAIT))
            .as("the inflated memory left the memory file").isCloseTo(1.0, within(0.01));
        assertThat(value(report, Subject.PUNCH_HOLE, Metric.RETURNED_FRACTION, WaitMode.BLOCKING)).isCloseTo(1.0, within(0.01));
        assertThat(value(report, Subject.MADV_DONTNEED, Metric.RETURNED_FRACTION, WaitMode.BLOCKING)).isCloseTo(1.0, within(0.01));
        assertThat(value(report, Subject.VIRTIO_BALLOON, Metric.GIB_PER_SECOND, WaitMode.BLOCKING)).isCloseTo(1.59, within(0.01));
        assertThat(report.goalResults()).extracting(GoalResult::status).doesNotContain(GoalResult.Status.NOT_MEASURED);
        assertThat(report.goalResults()).filteredOn(result -> result.goal().metric() == Metric.RETURNED_FRACTION)
            .extracting(GoalResult::status).containsExactly(GoalResult.Status.MET);

        assertThat(BalloonReportTable.render(report)).contains("balloon inflate (ours)", "balloon deflate (ours)",
            "fallocate PUNCH_HOLE", "MADV_DONTNEED", "NOT measured here", "Goals (issue 5)", "load average")
            .containsPattern("met +inflated memory returned to the host >= 99%");
        assertThat(ReportJson.toTree(report).get("figures")).anySatisfy(figure ->
        {
            assertThat(figure.get("subject").asText()).isEqualTo("virtio-balloon");
            assertThat(figure.get("recorded").asBoolean()).isTrue();
        });
        try (Stream<Path> left = Files.list(base))
        {
            assertThat(left).as("run directory and memory files").isEmpty();
        }
        assertThat(Thread.getAllStackTraces().keySet()).filteredOn(Thread::isAlive).extracting(Thread::getName)
            .noneMatch(name -> name.startsWith("dom") || name.startsWith("hypercall-dispatcher") || name.startsWith("usage-publisher") ||
                name.startsWith("xenstored"));
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)).as("child processes").isEmpty();
    }

    private static double value(final RingsReport report, final Subject subject, final Metric metric, final WaitMode wait)
    {
        return Figures.find(report.figures(), subject, metric, BalloonGoals.SCOPE, wait).map(Figure::value)
            .orElseThrow(() -> new AssertionError(subject + " " + metric + " missing"));
    }
}
