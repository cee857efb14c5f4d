package org.coopvm.perf.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.coopvm.perf.report.ReportFixtures.idleCpu;
import static org.coopvm.perf.report.ReportFixtures.p50;
import static org.coopvm.perf.report.ReportFixtures.throughput;
import static org.coopvm.perf.report.Subject.AERON_IPC;
import static org.coopvm.perf.report.Subject.AGRONA_ONE_TO_ONE;
import static org.coopvm.perf.report.Subject.CHANNEL;
import static org.coopvm.perf.report.Subject.FUTEX_BASELINE;
import static org.coopvm.perf.report.Subject.XEN_RING;

class GoalTest
{
    private static final Goal XEN_THROUGHPUT = new Goal("xen >= agrona", Metric.THROUGHPUT, Scope.THREADS,
        WaitMode.SPINNING, XEN_RING, List.of(AGRONA_ONE_TO_ONE), 1.0);
    private static final Goal XEN_SPINNING_RTT = new Goal("xen rtt", Metric.RTT_P50, Scope.THREADS,
        WaitMode.SPINNING, XEN_RING, List.of(AGRONA_ONE_TO_ONE, AERON_IPC), 1.2);

    @Test
    void throughputGoalIsOursOverThePeerAndMetWhenAtLeastTheLimit()
    {
        final GoalResult result = XEN_THROUGHPUT.evaluate(List.of(
            throughput(XEN_RING, 30e6), throughput(AGRONA_ONE_TO_ONE, 25e6), throughput(AERON_IPC, 40e6)));

        assertThat(result.status()).isEqualTo(GoalResult.Status.MET);
        assertThat(result.ratio()).isCloseTo(1.2, within(1e-9));
        assertThat(result.bestPeer()).as("Aeron is not a peer of this goal").isEqualTo(AGRONA_ONE_TO_ONE);
        assertThat(result.peerValue()).isEqualTo(25e6);
    }

    @Test
    void throughputBelowThePeerMissesTheGoal()
    {
        final GoalResult result = XEN_THROUGHPUT.evaluate(List.of(
            throughput(XEN_RING, 20e6), throughput(AGRONA_ONE_TO_ONE, 25e6)));

        assertThat(result.status()).isEqualTo(GoalResult.Status.MISSED);
        assertThat(result.ratio()).isCloseTo(0.8, within(1e-9));
    }

    @Test
    void latencyGoalComparesWithTheFastestPeerAndMustStayUnderTheLimit()
    {
        final List<Figure> figures = List.of(
            p50(XEN_RING, Scope.THREADS, WaitMode.SPINNING, 1300),
            p50(AGRONA_ONE_TO_ONE, Scope.THREADS, WaitMode.SPINNING, 1000),
            p50(AERON_IPC, Scope.THREADS, WaitMode.SPINNING, 2000),
            p50(AGRONA_ONE_TO_ONE, Scope.PROCESSES, WaitMode.SPINNING, 100));

        final GoalResult result = XEN_SPINNING_RTT.evaluate(figures);

        assertThat(result.bestPeer()).isEqualTo(AGRONA_ONE_TO_ONE);
        assertThat(result.ratio()).isCloseTo(1.3, within(1e-9));
        assertThat(result.status()).isEqualTo(GoalResult.Status.MISSED);
    }

    @Test
    void latencyExactlyAtTheLimitMeetsTheGoal()
    {
        final GoalResult result = XEN_SPINNING_RTT.evaluate(List.of(
            p50(XEN_RING, Scope.THREADS, WaitMode.SPINNING, 1200),
            p50(AGRONA_ONE_TO_ONE, Scope.THREADS, WaitMode.SPINNING, 1000)));

        assertThat(result.status()).isEqualTo(GoalResult.Status.MET);
    }

    @Test
    void goalWithoutOurFigureOrWithoutAnyPeerIsNotMeasured()
    {
        assertThat(XEN_THROUGHPUT.evaluate(List.of(throughput(AGRONA_ONE_TO_ONE, 25e6))).status())
            .isEqualTo(GoalResult.Status.NOT_MEASURED);
        final GoalResult noPeer = XEN_THROUGHPUT.evaluate(List.of(throughput(XEN_RING, 25e6)));
        assertThat(noPeer.status()).isEqualTo(GoalResult.Status.NOT_MEASURED);
        assertThat(noPeer.ratio()).isNaN();
    }

    @Test
    void idleCpuGoalIsAnAbsoluteLimit()
    {
        final Goal idle = RingGoals.standard().stream()
            .filter(goal -> goal.metric() == Metric.IDLE_CPU && goal.ours() == CHANNEL).findFirst().orElseThrow();

        assertThat(idle.absolute()).isTrue();
        assertThat(idle.evaluate(List.of(idleCpu(CHANNEL, 0.2))).status()).isEqualTo(GoalResult.Status.MET);
        assertThat(idle.evaluate(List.of(idleCpu(CHANNEL, 3.0))).status()).isEqualTo(GoalResult.Status.MISSED);
    }

    @Test
    void standardGoalsCoverEveryGoalOfTheIssue()
    {
        final List<Goal> goals = RingGoals.standard();

        assertThat(goals).anySatisfy(goal ->
        {
            assertThat(goal.metric()).isEqualTo(Metric.THROUGHPUT);
            assertThat(goal.ours()).isEqualTo(XEN_RING);
            assertThat(goal.peers()).containsExactly(AGRONA_ONE_TO_ONE);
            assertThat(goal.limit()).isEqualTo(1.0);
        });
        for (final Scope scope : Scope.values())
        {
            assertThat(goals).anySatisfy(goal -> assertThat(goal)
                .extracting(Goal::metric, Goal::scope, Goal::waitMode, Goal::ours, Goal::peers, Goal::limit)
                .containsExactly(Metric.RTT_P50, scope, WaitMode.SPINNING, XEN_RING, List.of(AGRONA_ONE_TO_ONE), 1.2));
            assertThat(goals).anySatisfy(goal -> assertThat(goal)
                .extracting(Goal::metric, Goal::scope, Goal::waitMode, Goal::ours, Goal::peers, Goal::limit)
                .containsExactly(Metric.RTT_P50, scope, WaitMode.BLOCKING, XEN_RING, List.of(FUTEX_BASELINE), 1.1));
        }
    }
}
