package org.coopvm.balloon.policy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.coopvm.balloon.testing.Guests.decisionFor;
import static org.coopvm.balloon.testing.Guests.guest;
import static org.coopvm.balloon.testing.Guests.sample;
import static org.coopvm.balloon.testing.Guests.snapshot;

/** Guests' own requests and offers, within a 1,000,000 KiB pool that keeps 5% (50,000 KiB) back. */
class CooperativePolicyTest
{
    private static final long POOL = 1_000_000;
    private static final long CUR = 400_000;
    private static final long MAX = 500_000;

    private final CooperativePolicy policy = new CooperativePolicy(0.05);

    @Test
    void grantsARequestThePoolCovers()
    {
        final List<BalloonDecision> decisions = policy.decide(snapshot(POOL, 100_000, asking(1, 20_000), asking(2, 0)));

        assertThat(decisionFor(decisions, 1).targetKib()).isEqualTo(420_000);
        assertThat(decisionFor(decisions, 1).reason()).isEqualTo(DecisionReason.GUEST_REQUEST_GRANTED);
        assertThat(decisionFor(decisions, 2).reason()).isEqualTo(DecisionReason.NO_CHANGE);
        assertThat(decisionFor(decisions, 2).targetKib()).isEqualTo(CUR);
    }

    @Test
    void aShortPoolIsSharedByWeightAndNobodyGetsMoreThanItAsked()
    {
        // 50,000 KiB to share among weights 256, 512, 256 asking 60,000, 60,000 and 5,000
        final List<BalloonDecision> decisions = policy.decide(snapshot(POOL, 100_000,
            asking(1, 60_000),
            asking(2, 60_000).withFloorAndWeight(0, 512),
            asking(3, 5_000)));

        assertThat(decisionFor(decisions, 3).targetKib()).isEqualTo(CUR + 5_000);
        assertThat(decisionFor(decisions, 3).reason()).isEqualTo(DecisionReason.GUEST_REQUEST_GRANTED);
        assertThat(decisionFor(decisions, 2).targetKib()).isEqualTo(CUR + 30_000);
        assertThat(decisionFor(decisions, 1).targetKib()).isEqualTo(CUR + 15_000);
        assertThat(decisionFor(decisions, 1).reason()).isEqualTo(DecisionReason.GUEST_REQUEST_PARTIAL);
        assertThat(decisionFor(decisions, 1).detail()).contains("granted 15000 of 60000 KiB by weight 256");
    }

    @Test
    void volunteeredMemoryJoinsThePool()
    {
        final List<BalloonDecision> decisions = policy.decide(snapshot(POOL, 50_000, asking(1, 30_000), asking(2, -40_000)));

        assertThat(decisionFor(decisions, 2).targetKib()).isEqualTo(CUR - 40_000);
        assertThat(decisionFor(decisions, 2).reason()).isEqualTo(DecisionReason.GUEST_VOLUNTEERED);
        assertThat(decisionFor(decisions, 1).targetKib()).isEqualTo(CUR + 30_000);
    }

    @Test
    void refusesWithTheReasonWhenThePoolIsShort()
    {
        final BalloonDecision decision = decisionFor(policy.decide(snapshot(POOL, 40_000, asking(1, 30_000))), 1);

        assertThat(decision.reason()).isEqualTo(DecisionReason.GUEST_REQUEST_REFUSED);
        assertThat(decision.targetKib()).isEqualTo(CUR);
        assertThat(decision.detail()).contains("refused, pool free 40000 KiB, reserve 50000");
    }

    @Test
    void aRequestBeyondMaxmemGetsMaxmemAtMostAndOnlyWhatThePoolHas()
    {
        final BalloonDecision plenty = decisionFor(policy.decide(snapshot(POOL, 600_000, asking(1, Long.MAX_VALUE))), 1);
        final BalloonDecision tight = decisionFor(policy.decide(snapshot(POOL, 60_000, asking(1, Long.MAX_VALUE))), 1);

        assertThat(plenty.targetKib()).isEqualTo(MAX);
        assertThat(plenty.reason()).isEqualTo(DecisionReason.ABOVE_MAXMEM);
        assertThat(tight.targetKib()).isEqualTo(CUR + 10_000);
        assertThat(tight.detail()).contains("capped at maxmem 500000");
    }

    @Test
    void aRequestAlreadyMetIsNotGrantedTwice()
    {
        // the guest asked for 20,000 above 400,000 and the host has grown it since the sample
        final DomainView grown = asking(1, 20_000).withMemory(420_000, 420_000);

        final BalloonDecision decision = decisionFor(policy.decide(snapshot(POOL, 500_000, grown)), 1);

        assertThat(decision.reason()).isEqualTo(DecisionReason.NO_CHANGE);
        assertThat(decision.targetKib()).isEqualTo(420_000);
    }

    @Test
    void growthAlreadyPromisedToAnotherDomainIsNotGrantedAgain()
    {
        // dom2 has no request but a target 30,000 above what it holds: of 100,000 free, 50,000 is
        // the reserve and 30,000 is dom2's, so dom1 can have 20,000
        final DomainView growing = asking(2, 0).withMemory(CUR, CUR + 30_000);

        final List<BalloonDecision> decisions = policy.decide(snapshot(POOL, 100_000, asking(1, 60_000), growing));

        assertThat(decisionFor(decisions, 1).targetKib()).isEqualTo(CUR + 20_000);
        assertThat(decisionFor(decisions, 1).reason()).isEqualTo(DecisionReason.GUEST_REQUEST_PARTIAL);
        assertThat(decisionFor(decisions, 1).detail()).contains("promised to growing domains 30000 KiB");
        assertThat(decisionFor(decisions, 2).targetKib()).as("its promise stands").isEqualTo(CUR + 30_000);
    }

    @Test
    void volunteersKeepTheirFloor()
    {
        final BalloonDecision decision = decisionFor(policy.decide(snapshot(POOL, 0,
            asking(1, Long.MIN_VALUE).withFloorAndWeight(380_000, 256))), 1);

        assertThat(decision.targetKib()).isEqualTo(380_000);
        assertThat(decision.detail()).contains("(floor)");
    }

    @Test
    void aStaleRequestIsIgnored()
    {
        final DomainView stale = asking(1, 30_000).withStats(false, List.of(sample(CUR, 0, 0, CUR).withRequest(30_000)));

        final BalloonDecision decision = decisionFor(policy.decide(snapshot(POOL, 500_000, stale)), 1);

        assertThat(decision.reason()).isEqualTo(DecisionReason.STATS_STALE);
        assertThat(decision.targetKib()).isEqualTo(CUR);
    }

    private static DomainView asking(final int domid, final long requestKib)
    {
        return guest(domid, CUR, MAX, sample(CUR, 100_000, 0, 300_000).withRequest(requestKib));
    }
}
