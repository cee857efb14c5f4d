package org.coopvm.perf.block;

import org.coopvm.perf.report.Figure;
import org.coopvm.perf.report.Figures;
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
 * A tiny {@code coop bench block} run (16 MiB image, 200 ms per case, one round): every case runs
 * through the guest and directly without an error, every figure and goal is in the table and the
 * JSON, and no file or guest thread is left behind. It checks that the benchmark works, not how
 * fast it is.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BlockBenchmarkTest
{
    private Path base;

    @BeforeEach
    void makeBase() throws IOException
    {
        base = Files.createTempDirectory(Path.of("/dev/shm"), "blockbench-test-");
    }

    @AfterEach
    void removeBase() throws IOException
    {
        Files.deleteIfExists(base);
    }

    @Test
    void tinyRunMeasuresEveryCaseBothWaysAndLeavesNothingBehind() throws IOException
    {
        final BlockBenchmarkConfig config = new BlockBenchmarkConfig("test", "test", 16, Duration.ofMillis(200), 1, 1, 8, 4, base);
        final List<String> progress = new ArrayList<>();

        final RingsReport report = BlockBenchmark.run(config, progress::add);

        assertThat(report.run().failures()).isEmpty();
        for (final IoCase ioCase : IoCase.ALL)
        {
            for (final Subject subject : List.of(ioCase.ours(), ioCase.direct()))
            {
                assertThat(value(report, subject, Metric.OPS_PER_SECOND)).as(subject + " IOPS").isPositive();
                assertThat(value(report, subject, Metric.MB_PER_SECOND)).as(subject + " MB/s")
                    .isEqualTo(value(report, subject, Metric.OPS_PER_SECOND) * ioCase.blockBytes() / 1e6);
            }
        }
        assertThat(progress).filteredOn(line -> line.startsWith("warm-up (not counted) ")).as("a warm-up of both ways, every case")
            .hasSize(2 * IoCase.ALL.length);
        assertThat(progress).filteredOn(line -> line.contains("round 1 64k-seqread, blkfront/blkback")).singleElement().asString()
            .as("what dom0's agent did: it served the case's requests in batches").containsPattern(
                "dom0: [1-9][0-9,]* ring requests, [0-9.]+ per batch, [0-9.]+ agent sleeps and [0-9.]+ guest notifications per 1,000");
        assertThat(report.goalResults()).hasSize(4).extracting(GoalResult::status).doesNotContain(GoalResult.Status.NOT_MEASURED);
        assertThat(BlockReportTable.render(report)).contains("blkfront/blkback 4 KiB random read (ours)",
            "FileChannel 64 KiB sequential write, one thread", "ours / direct", "Goals (issue 7)", "load average");
        assertThat(ReportJson.toTree(report).get("figures")).anySatisfy(figure ->
            assertThat(figure.get("metric").asText()).isEqualTo("mb-per-second"));
        try (Stream<Path> left = Files.list(base))
        {
            assertThat(left).as("run directory, image and domain files").isEmpty();
        }
        assertThat(Thread.getAllStackTraces().keySet()).filteredOn(Thread::isAlive).extracting(Thread::getName)
            .noneMatch(name -> name.startsWith("dom") || name.startsWith("blkback") || name.startsWith("block-backend") ||
                name.startsWith("hypercall-dispatcher"));
    }

    private static double value(final RingsReport report, final Subject subject, final Metric metric)
    {
        return Figures.find(report.figures(), subject, metric, BlockGoals.SCOPE, BlockGoals.WAIT).map(Figure::value)
            .orElseThrow(() -> new AssertionError(subject + " " + metric + " missing"));
    }
}
