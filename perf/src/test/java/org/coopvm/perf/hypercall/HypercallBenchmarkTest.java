package org.coopvm.perf.hypercall;

import org.coopvm.perf.latency.ChildJvm;
import org.coopvm.perf.latency.RoundTripPlan;
import org.coopvm.perf.latency.RoundTripResult;
import org.coopvm.perf.report.GoalResult;
import org.coopvm.perf.report.Metric;
import org.coopvm.perf.report.RingsReport;
import org.coopvm.perf.report.Subject;
import org.coopvm.perf.report.WaitMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tiny end-to-end runs of each {@code coop bench hypercalls} measurement: a real hypervisor here,
 * real guest kernels in child JVMs. Each must produce sane percentiles and leave no child process
 * and no file behind.
 */
class HypercallBenchmarkTest
{
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final RoundTripPlan HYPERCALLS = new RoundTripPlan(500, 2_000, TIMEOUT);
    private static final RoundTripPlan EVENTS = new RoundTripPlan(100, 500, TIMEOUT);

    private Path base;

    @BeforeEach
    void makeBase() throws IOException
    {
        base = Files.createTempDirectory(Path.of("/dev/shm"), "hcbench-test-");
    }

    @AfterEach
    void leavesNothingBehind() throws IOException
    {
        try
        {
            assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)).as("child processes").isEmpty();
            try (Stream<Path> left = Files.list(base))
            {
                assertThat(left).as("files left in the run directory base").isEmpty();
            }
        }
        finally
        {
            deleteTree(base);
        }
    }

    @Test
    void nullHypercallsFromABlockingProcessGuestAreTimed()
    {
        final RoundTripResult result = HypercallBenchmark.nullHypercall(WaitMode.BLOCKING, HYPERCALLS, ChildJvm.likeThisJvm(), base);

        assertSane(result, HYPERCALLS);
    }

    @Test
    void nullHypercallsFromASpinningProcessGuestAreTimed()
    {
        final RoundTripResult result = HypercallBenchmark.nullHypercall(WaitMode.SPINNING, HYPERCALLS, ChildJvm.likeThisJvm(), base);

        assertSane(result, HYPERCALLS);
    }

    @Test
    void eventsBetweenTwoProcessGuestsAreTimedBothWays()
    {
        final HypercallBenchmark.EventChannelResult result =
            HypercallBenchmark.eventChannel(WaitMode.BLOCKING, EVENTS, ChildJvm.likeThisJvm(), base);

        assertSane(result.roundTrip(), EVENTS);
        assertSane(result.oneWay(), EVENTS);
        assertThat(result.oneWay().p50Ns()).as("one way below the round trip").isLessThan(result.roundTrip().p50Ns());
    }

    @Test
    void aTinyFullRunMeasuresEverythingAndJudgesTheGoal()
    {
        final List<String> progress = new ArrayList<>();
        final HypercallBenchmarkConfig config = new HypercallBenchmarkConfig("test", "test", HYPERCALLS, EVENTS,
            new RoundTripPlan(500, 2_000, TIMEOUT), List.of(WaitMode.BLOCKING), base, ChildJvm.likeThisJvm());

        final RingsReport report = HypercallBenchmark.run(config, progress::add);

        assertThat(report.run().failures()).isEmpty();
        assertThat(report.figures()).extracting(f -> f.subject().id() + "/" + f.metric().id()).contains(
            "null-hypercall/rtt-p50", "event-channel/rtt-p50", "event-channel/one-way-p50", "channel/rtt-p50", "xen-ring/rtt-p50");
        assertThat(report.goalResults()).singleElement().satisfies(goal ->
        {
            assertThat(goal.status()).isIn(GoalResult.Status.MET, GoalResult.Status.MISSED);
            assertThat(goal.bestPeer()).isEqualTo(Subject.CHANNEL);
            assertThat(goal.ratio()).isPositive();
        });
        assertThat(report.figures()).filteredOn(f -> f.metric() == Metric.RTT_P50).allSatisfy(f -> assertThat(f.value()).isPositive());
        assertThat(progress).isNotEmpty();
    }

    private static void assertSane(final RoundTripResult result, final RoundTripPlan plan)
    {
        assertThat(result.roundTrips()).isEqualTo(plan.measuredRoundTrips());
        assertThat(result.p50Ns()).isPositive();
        assertThat(result.p50Ns()).isLessThanOrEqualTo(result.p99Ns());
        assertThat(result.p99Ns()).isLessThanOrEqualTo(result.p999Ns());
        assertThat(result.p999Ns()).isLessThanOrEqualTo(result.maxNs());
    }

    private static void deleteTree(final Path root) throws IOException
    {
        try (Stream<Path> paths = Files.walk(root))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
    }
}
