package org.coopvm.perf.net;

import org.coopvm.perf.report.Figure;
import org.coopvm.perf.report.GoalResult;
import org.coopvm.perf.report.Metric;
import org.coopvm.perf.report.RingsReport;
import org.coopvm.perf.report.RunInfo;
import org.coopvm.perf.report.Subject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code coop bench net} table and goal from known figures: ours as a ratio to memcpy and to
 * the raw ring on the rows a user compares, the 10 Gbit/s goal judged on the stream alone, and a
 * missing figure shown as missing rather than as zero.
 */
class NetReportTableTest
{
    @Test
    void showsOursAsRatiosToMemcpyAndTheRawRingAndJudgesTheStreamGoal()
    {
        final RingsReport report = report(List.of(
            figure(Subject.NET_STREAM, Metric.GBIT_PER_SECOND, 12.5),
            figure(Subject.MEMCPY_FRAMES, Metric.GBIT_PER_SECOND, 50.0),
            figure(Subject.NET_ROUND_TRIP, Metric.RTT_P50, 20_000),
            figure(Subject.NET_ROUND_TRIP, Metric.RTT_P99, 90_000),
            figure(Subject.XEN_RING, Metric.RTT_P50, 4_000),
            figure(Subject.XEN_RING, Metric.RTT_P99, 30_000)));

        final String table = NetReportTable.render(report);

        assertThat(report.goalResults()).singleElement().extracting(GoalResult::status).isEqualTo(GoalResult.Status.MET);
        assertThat(table).containsPattern("stream, 1500-byte payloads \\(ours\\) +12\\.50 +0\\.250")
            .containsPattern("memcpy of 1500-byte frames, one thread +50\\.00")
            .containsPattern("round trip, 60-byte frames \\(ours\\) +20\\.0 +90\\.0 +5\\.00, 3\\.00")
            .containsPattern("spin then sleep \\(raw ring\\) +4\\.0 +30\\.0")
            .contains("met", ">= 10.0 Gbit/s", "12.50 Gbit/s (limit >= 10.0 Gbit/s)", "a note");
    }

    @Test
    void aStreamBelowTenGbitMissesTheGoalAndAMissingFloorLeavesTheRatioOpen()
    {
        final RingsReport report = report(List.of(figure(Subject.NET_STREAM, Metric.GBIT_PER_SECOND, 0.1)));

        final String table = NetReportTable.render(report);

        assertThat(report.goalResults()).singleElement().extracting(GoalResult::status).isEqualTo(GoalResult.Status.MISSED);
        assertThat(table).containsPattern("stream, 1500-byte payloads \\(ours\\) +0\\.10 +-").contains("NOT MET")
            .containsPattern("round trip, 60-byte frames \\(ours\\) +- +- +-, -");
        assertThat(NetReportTable.ratio(report, Subject.NET_STREAM, Subject.MEMCPY_FRAMES, Metric.GBIT_PER_SECOND)).isNaN();
    }

    private static Figure figure(final Subject subject, final Metric metric, final double value)
    {
        return new Figure(subject, metric, NetGoals.SCOPE, NetGoals.WAIT, value);
    }

    private static RingsReport report(final List<Figure> figures)
    {
        final RunInfo run = new RunInfo(Instant.parse("2026-11-27T23:00:00Z"), Duration.ofSeconds(90), "coop bench net", "default", 2,
            "Linux amd64", "JDK 25", List.of("a note"), List.of());
        return new RingsReport(run, figures, NetGoals.standard());
    }
}
