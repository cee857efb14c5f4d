package org.coopvm.perf.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.coopvm.perf.report.ReportFixtures.idleCpu;
import static org.coopvm.perf.report.ReportFixtures.p50;
import static org.coopvm.perf.report.ReportFixtures.report;
import static org.coopvm.perf.report.ReportFixtures.throughput;
import static org.coopvm.perf.report.Subject.AERON_IPC;
import static org.coopvm.perf.report.Subject.AGRONA_ONE_TO_ONE;
import static org.coopvm.perf.report.Subject.CHANNEL;
import static org.coopvm.perf.report.Subject.FUTEX_BASELINE;
import static org.coopvm.perf.report.Subject.XEN_RING;

class ReportOutputTest
{
    private static final List<Figure> FIGURES = List.of(
        throughput(XEN_RING, 30e6),
        throughput(AGRONA_ONE_TO_ONE, 25e6),
        throughput(AERON_IPC, 40e6),
        p50(XEN_RING, Scope.THREADS, WaitMode.BLOCKING, 11_000),
        new Figure(XEN_RING, Metric.RTT_P99, Scope.THREADS, WaitMode.BLOCKING, 20_000),
        p50(FUTEX_BASELINE, Scope.THREADS, WaitMode.BLOCKING, 10_000),
        p50(CHANNEL, Scope.THREADS, WaitMode.SPIN_THEN_SLEEP, 5_000),
        idleCpu(CHANNEL, 0.25));

    @Test
    void jsonHasEveryFigureWithUnitAndOurRatioToTheBestPeer(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("nested/bench.json");

        ReportJson.write(report(FIGURES, List.of()), file);

        final JsonNode root = new ObjectMapper().readTree(file.toFile());
        assertThat(root.path("run").path("command").asText()).isEqualTo("coop bench rings --quick");
        assertThat(root.path("figures")).hasSize(FIGURES.size());
        final JsonNode xen = figure(root, "throughput.threads.spinning.xen-ring");
        assertThat(xen.path("unit").asText()).isEqualTo("msg/s");
        assertThat(xen.path("value").asDouble()).isEqualTo(30e6);
        assertThat(xen.path("bestPeer").asText()).as("best of all peers, Aeron here").isEqualTo("aeron-ipc");
        assertThat(xen.path("ratioToBestPeer").asDouble()).isCloseTo(0.75, within(1e-9));
        assertThat(figure(root, "rtt-p50.threads.blocking.xen-ring").path("ratioToBestPeer").asDouble())
            .isCloseTo(1.1, within(1e-9));
        assertThat(figure(root, "throughput.threads.spinning.agrona-one-to-one").has("ratioToBestPeer")).isFalse();
    }

    @Test
    void jsonGoalsCarryRatioStatusAndNullWhenNotMeasured() throws Exception
    {
        final JsonNode root = ReportJson.toTree(report(FIGURES, List.of()));

        final JsonNode throughputGoal = goal(root, "Xen ring throughput >= Agrona OneToOneRingBuffer");
        assertThat(throughputGoal.path("ratio").asDouble()).isCloseTo(1.2, within(1e-9));
        assertThat(throughputGoal.path("status").asText()).isEqualTo("met");
        assertThat(throughputGoal.path("bestPeer").asText()).isEqualTo("agrona-one-to-one");
        final JsonNode processes = goal(root, "Xen ring spinning RTT p50, two processes, within 1.2x Agrona OneToOneRingBuffer");
        assertThat(processes.path("status").asText()).isEqualTo("not-measured");
        assertThat(processes.path("ratio").isNull()).isTrue();
    }

    @Test
    void tableShowsFiguresRatiosGoalsAndFailures()
    {
        final String table = ReportTable.render(report(FIGURES, List.of("round trip, two processes: child died")));

        assertThat(table)
            .contains("One-way throughput, 64-byte messages, two threads")
            .containsPattern("Xen ring \\(ours\\) +30,000,000 +0\\.75 \\(Aeron IPC\\)")
            .contains("Round trip, 64-byte messages, two threads, blocking")
            .containsPattern("Xen ring \\(ours\\) +11,000 +20,000 +- +1\\.10 \\(raw futex ping-pong\\)")
            .containsPattern("MET +Xen ring throughput >= Agrona OneToOneRingBuffer +ratio 1\\.20 \\(limit >= 1\\.00\\)")
            .containsPattern("MET +Xen ring blocking RTT p50, two threads, within 1\\.1x raw futex ping-pong +ratio 1\\.10")
            .containsPattern("NOT MEASURED +message channel spinning RTT p50")
            .containsPattern("MET +message channel idle waiter CPU about zero +0\\.250 % of one CPU")
            .as("spin-then-sleep is compared with the blocking peers")
            .contains("Round trip, 64-byte messages, two threads, spin-then-sleep")
            .containsPattern("message channel \\(ours\\) +5,000 +- +- +0\\.50 \\(raw futex ping-pong\\)")
            .contains("round trip, two processes: child died")
            .doesNotContain("two processes, spinning\n");
    }

    private static JsonNode figure(final JsonNode root, final String id)
    {
        for (final JsonNode figure : root.path("figures"))
        {
            if (figure.path("id").asText().equals(id))
            {
                return figure;
            }
        }
        throw new AssertionError("no figure " + id + " in " + root);
    }

    private static JsonNode goal(final JsonNode root, final String name)
    {
        for (final JsonNode goal : root.path("goals"))
        {
            if (goal.path("name").asText().equals(name))
            {
                return goal;
            }
        }
        throw new AssertionError("no goal " + name + " in " + root);
    }
}
