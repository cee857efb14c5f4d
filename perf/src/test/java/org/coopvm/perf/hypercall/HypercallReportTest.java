package org.coopvm.perf.hypercall;

import com.fasterxml.jackson.databind.JsonNode;
import org.coopvm.perf.report.Figure;
import org.coopvm.perf.report.GoalResult;
import org.coopvm.perf.report.Metric;
import org.coopvm.perf.report.ReportJson;
import org.coopvm.perf.report.RingsReport;
import org.coopvm.perf.report.RunInfo;
import org.coopvm.perf.report.Scope;
import org.coopvm.perf.report.Subject;
import org.coopvm.perf.report.WaitMode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The goal of issue 3's benchmark and how {@code coop bench hypercalls} prints and writes it. */
class HypercallReportTest
{
    @Test
    void nullHypercallWithinOneAndAHalfTimesTheChannelIsMet()
    {
        final GoalResult result = goal(WaitMode.BLOCKING, List.of(
            p50(Subject.NULL_HYPERCALL, WaitMode.BLOCKING, 14_900), p50(Subject.CHANNEL, WaitMode.BLOCKING, 10_000)));

        assertThat(result.status()).isEqualTo(GoalResult.Status.MET);
        assertThat(result.ratio()).isCloseTo(1.49, within(1e-9));
        assertThat(result.bestPeer()).isEqualTo(Subject.CHANNEL);
    }

    @Test
    void nullHypercallSlowerThanOneAndAHalfTimesIsMissedAndOnlyTheSameWaitModeCounts()
    {
        final GoalResult result = goal(WaitMode.SPINNING, List.of(
            p50(Subject.NULL_HYPERCALL, WaitMode.SPINNING, 1_600), p50(Subject.CHANNEL, WaitMode.SPINNING, 1_000),
            p50(Subject.CHANNEL, WaitMode.BLOCKING, 100_000), p50(Subject.XEN_RING, WaitMode.SPINNING, 10_000)));

        assertThat(result.status()).isEqualTo(GoalResult.Status.MISSED);
        assertThat(result.ratio()).isCloseTo(1.6, within(1e-9));
    }

    @Test
    void aMissingChannelFigureLeavesTheGoalNotMeasured()
    {
        final GoalResult result = goal(WaitMode.BLOCKING, List.of(p50(Subject.NULL_HYPERCALL, WaitMode.BLOCKING, 5_000)));

        assertThat(result.status()).isEqualTo(GoalResult.Status.NOT_MEASURED);
    }

    @Test
    void theTableShowsEachMeasurementNextToTheRawChannelAndTheGoalWithItsRatio()
    {
        final String table = HypercallReportTable.render(report(List.of(
            p50(Subject.CHANNEL, WaitMode.BLOCKING, 10_000), p50(Subject.XEN_RING, WaitMode.BLOCKING, 12_000),
            p50(Subject.NULL_HYPERCALL, WaitMode.BLOCKING, 20_000), p50(Subject.EVENT_CHANNEL, WaitMode.BLOCKING, 40_000),
            new Figure(Subject.EVENT_CHANNEL, Metric.ONE_WAY_P50, Scope.PROCESSES, WaitMode.BLOCKING, 18_000)),
            List.of("event channel, spinning: guest JVM timed out")));

        assertThat(table).contains("Two processes, blocking (latency in ns)")
            .containsPattern("null hypercall \\(xen_version\\), round trip +20,000 +- +- +2\\.00")
            .containsPattern("interdomain event channel, send to upcall +18,000 .* 1\\.80")
            .containsPattern("MISSED +null hypercall blocking p50 within 1\\.5x the raw message channel round trip +" +
                "20,000 ns / 10,000 ns = ratio 2\\.00 \\(limit <= 1\\.50\\)")
            .contains("Failed measurements", "guest JVM timed out", "Setup", "a note")
            .doesNotContain("spinning (latency");
    }

    @Test
    void theJsonNamesOneWayFiguresAndTheGoalOutcome()
    {
        final JsonNode tree = ReportJson.toTree(report(List.of(
            p50(Subject.CHANNEL, WaitMode.BLOCKING, 10_000), p50(Subject.NULL_HYPERCALL, WaitMode.BLOCKING, 12_000),
            new Figure(Subject.EVENT_CHANNEL, Metric.ONE_WAY_P50, Scope.PROCESSES, WaitMode.BLOCKING, 18_000)), List.of()));

        assertThat(tree.path("figures")).extracting(f -> f.path("id").asText()).contains(
            "rtt-p50.processes.blocking.null-hypercall", "one-way-p50.processes.blocking.event-channel");
        final JsonNode goal = tree.path("goals").get(0);
        assertThat(goal.path("status").asText()).isEqualTo("met");
        assertThat(goal.path("ratio").asDouble()).isCloseTo(1.2, within(1e-9));
        assertThat(goal.path("bestPeer").asText()).isEqualTo("channel");
    }

    private static GoalResult goal(final WaitMode wait, final List<Figure> figures)
    {
        return HypercallGoals.forModes(List.of(wait)).getFirst().evaluate(figures);
    }

    private static Figure p50(final Subject subject, final WaitMode wait, final double ns)
    {
        return new Figure(subject, Metric.RTT_P50, Scope.PROCESSES, wait, ns);
    }

    private static RingsReport report(final List<Figure> figures, final List<String> failures)
    {
        final RunInfo run = new RunInfo(Instant.parse("2026-11-27T12:00:00Z"), Duration.ofSeconds(61),
            "coop bench hypercalls --quick", "quick", 2, "Linux 6.1 amd64", "Eclipse Adoptium 25.0.3",
            List.of("a note"), failures);
        return new RingsReport(run, figures, HypercallGoals.forModes(List.of(WaitMode.BLOCKING)));
    }
}
