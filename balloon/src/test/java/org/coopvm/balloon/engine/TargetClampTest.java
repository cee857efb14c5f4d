package org.coopvm.balloon.engine;

import org.coopvm.balloon.policy.BalloonDecision;
import org.coopvm.balloon.policy.BalloonSnapshot;
import org.coopvm.balloon.policy.DecisionReason;
import org.coopvm.balloon.policy.DomainView;
import org.coopvm.balloon.policy.StatsSample;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.coopvm.balloon.testing.Guests.guest;
import static org.coopvm.balloon.testing.Guests.sample;
import static org.coopvm.balloon.testing.Guests.snapshot;

/** The engine's clamps, each with its reason: maxmem, floor, stale stats, the pool. */
class TargetClampTest
{
    private static final StatsSample OK = sample(400_000, 100_000, 0, 300_000);

    @Test
    void aboveMaxmemIsClampedToIt()
    {
        final TargetClamp.Outcome outcome = only(snapshot(2_000_000, 1_000_000, guest(1, 400_000, 500_000, OK)),
            new BalloonDecision(1, 900_000, DecisionReason.NO_PRESSURE_GROW, "grow"));

        assertThat(outcome.targetKib()).isEqualTo(500_000);
        assertThat(outcome.reason()).isEqualTo(DecisionReason.ABOVE_MAXMEM);
        assertThat(outcome.policyReason()).isEqualTo(DecisionReason.NO_PRESSURE_GROW);
        assertThat(outcome.detail()).isEqualTo("grow; clamped to maxmem 500000 KiB");
    }

    @Test
    void belowTheFloorAndNegativeTargetsAreRaisedToTheFloor()
    {
        final DomainView floored = guest(1, 400_000, 500_000, OK).withFloorAndWeight(100_000, 256);

        assertThat(only(snapshot(2_000_000, 0, floored), decision(1, 50_000)).targetKib()).isEqualTo(100_000);
        final TargetClamp.Outcome negative = only(snapshot(2_000_000, 0, floored), decision(1, -7));
        assertThat(negative.targetKib()).isEqualTo(100_000);
        assertThat(negative.reason()).isEqualTo(DecisionReason.BELOW_FLOOR);
    }

    @Test
    void targetsAreWholePages()
    {
        assertThat(only(snapshot(2_000_000, 0, guest(1, 400_000, 500_000, OK)), decision(1, 300_003)).targetKib())
            .isEqualTo(300_000);
    }

    @Test
    void aDomainWithoutFreshStatsDoesNotGrowButMayShrink()
    {
        final DomainView stale = guest(1, 400_000, 800_000, OK).withStats(false, List.of(OK)).withMemory(400_000, 420_000);

        final TargetClamp.Outcome grow = only(snapshot(2_000_000, 1_000_000, stale), decision(1, 600_000));
        final TargetClamp.Outcome shrink = only(snapshot(2_000_000, 1_000_000, stale), decision(1, 300_000));

        assertThat(grow.targetKib()).isEqualTo(420_000);
        assertThat(grow.reason()).isEqualTo(DecisionReason.STATS_STALE);
        assertThat(grow.detail()).contains("stats stale (last sequence 1): no growth, held at 420000 KiB");
        assertThat(shrink.targetKib()).isEqualTo(300_000);
        assertThat(shrink.reason()).isEqualTo(DecisionReason.NO_CHANGE);
    }

    @Test
    void aPolicyThatIgnoresStatsMayGrowADomainWithoutThem()
    {
        final TargetClamp.Result result = TargetClamp.clamp(snapshot(2_000_000, 1_000_000, guest(1, 400_000, 800_000)),
            List.of(decision(1, 600_000)), false);

        assertThat(result.outcomes().getFirst().targetKib()).isEqualTo(600_000);
    }

    @Test
    void whenThePoolCannotCoverEveryTargetTheLastDecisionsGrowthIsCutFirst()
    {
        // three domains of 300,000 in a 1,000,000 pool: 100,000 free, 150,000 asked for
        final BalloonSnapshot snapshot = snapshot(1_000_000, 100_000,
            guest(1, 300_000, 600_000, OK), guest(2, 300_000, 600_000, OK), guest(3, 300_000, 600_000, OK));

        final TargetClamp.Result result = TargetClamp.clamp(snapshot,
            List.of(decision(3, 350_000), decision(1, 400_000), decision(2, 250_000)), true);

        final List<TargetClamp.Outcome> outcomes = result.outcomes();
        // exactly what the pool holds: nothing is cut
        assertThat(outcomes).extracting(TargetClamp.Outcome::targetKib).containsExactly(400_000L, 250_000L, 350_000L);
        assertThat(outcomes.get(0).reason()).isEqualTo(DecisionReason.NO_CHANGE);
        assertThat(outcomes.get(2).reason()).isEqualTo(DecisionReason.NO_CHANGE);

        // 20,000 KiB too much: dom1 was decided after dom3, dom2 (no decision) keeps its target
        final TargetClamp.Result tight = TargetClamp.clamp(snapshot(1_000_000, 40_000,
            guest(1, 320_000, 600_000, OK), guest(2, 320_000, 600_000, OK), guest(3, 320_000, 600_000, OK)),
            List.of(decision(3, 350_000), decision(1, 350_000)), true);
        assertThat(tight.outcomes()).extracting(TargetClamp.Outcome::targetKib).containsExactly(330_000L, 320_000L, 350_000L);
        assertThat(tight.outcomes().getFirst().reason()).isEqualTo(DecisionReason.HOST_POOL_SHORT);
        assertThat(tight.outcomes().getFirst().detail()).contains("pool short by 20000 KiB: cut 20000 KiB of growth");
    }

    @Test
    void domainsWithoutADecisionKeepTheirTargetAndStrayDecisionsAreDropped()
    {
        final TargetClamp.Result result = TargetClamp.clamp(snapshot(2_000_000, 1_000_000,
            guest(1, 400_000, 500_000, OK), guest(2, 400_000, 500_000, OK).withMemory(400_000, 380_000)),
            Arrays.asList(decision(7, 1), decision(1, 450_000), decision(1, 300_000), null), true);

        assertThat(result.dropped()).isEqualTo(3);
        assertThat(result.outcomes()).extracting(TargetClamp.Outcome::targetKib).containsExactly(450_000L, 380_000L);
        assertThat(result.outcomes().get(1).reason()).isEqualTo(DecisionReason.NO_CHANGE);
        assertThat(result.outcomes().get(1).detail()).isEqualTo("policy made no decision");
    }

    private static BalloonDecision decision(final int domid, final long targetKib)
    {
        return new BalloonDecision(domid, targetKib, DecisionReason.NO_CHANGE, "test");
    }

    private static TargetClamp.Outcome only(final BalloonSnapshot snapshot, final BalloonDecision decision)
    {
        return TargetClamp.clamp(snapshot, List.of(decision), true).outcomes().getFirst();
    }
}
