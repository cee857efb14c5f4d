package org.coopvm.balloon.engine;

import org.coopvm.balloon.policy.DecisionReason;
import org.coopvm.balloon.testing.Harness;
import org.coopvm.balloon.testing.SimulatedHost;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guests that lie in their stats or requests, each policy run by the engine over a simulated
 * host for many rounds: a liar never gets past its maxmem or the pool, and the records say why.
 */
class LyingGuestTest
{
    private static final long POOL = 2_000_000;
    private static final long MAX = 600_000;

    @Test
    void freeAboveTotalIsImplausibleSoMomDoesNotGrowTheGuest()
    {
        final SimulatedHost host = new SimulatedHost(POOL);
        host.add(1, 400_000, MAX, 200_000).freeLie(free -> 10_000_000);
        host.add(2, 400_000, MAX, 200_000);
        final Harness harness = new Harness(host, "mom");

        final List<DecisionRecord> liar = harness.rounds(20, 1);

        assertThat(liar).extracting(DecisionRecord::reason).containsOnly(DecisionReason.STATS_IMPLAUSIBLE);
        assertThat(liar.getFirst().detail()).contains("stats implausible: free 10000000");
        assertThat(host.guest(1).curKib()).isEqualTo(400_000);
        assertThat(host.guest(2).curKib()).isEqualTo(MAX);
    }

    @Test
    void aRequestFarBeyondMaxmemGetsMaxmemAndCannotStarveAnHonestGuest()
    {
        final SimulatedHost host = new SimulatedHost(1_000_000);
        host.add(1, 400_000, MAX, 300_000).request(Long.MAX_VALUE / 2);
        host.add(2, 400_000, MAX, 300_000).request(50_000);
        final Harness harness = new Harness(host, "cooperative");

        final List<DecisionRecord> first = harness.round();

        // 200,000 free, 50,000 kept back: 150,000 shared by weight, the honest guest's 50,000 in full
        assertThat(first.get(1).reason()).isEqualTo(DecisionReason.GUEST_REQUEST_GRANTED);
        assertThat(first.get(1).targetKib()).isEqualTo(450_000);
        assertThat(first.get(0).targetKib()).isEqualTo(500_000);
        assertThat(first.get(0).reason()).isEqualTo(DecisionReason.GUEST_REQUEST_PARTIAL);
        harness.rounds(10, 1);
        assertThat(host.guest(1).curKib()).isLessThanOrEqualTo(MAX);
        assertThat(host.freeKib()).isGreaterThanOrEqualTo(50_000);
    }

    @Test
    void aRequestBeyondMaxmemIsCappedThereWhenThePoolHasRoom()
    {
        final SimulatedHost host = new SimulatedHost(POOL);
        host.add(1, 400_000, MAX, 300_000).request(5_000_000);
        final Harness harness = new Harness(host, "cooperative");

        final DecisionRecord record = harness.round().getFirst();

        assertThat(record.targetKib()).isEqualTo(MAX);
        assertThat(record.reason()).isEqualTo(DecisionReason.ABOVE_MAXMEM);
        assertThat(record.detail()).contains("capped at maxmem 600000");
    }

    @Test
    void aGuestClaimingItsWholeMemoryIsActiveGrowsOnlyToMaxmemAndLeavesThePoolReserve()
    {
        final SimulatedHost host = new SimulatedHost(1_000_000);
        host.add(1, 400_000, 900_000, 100_000).workingSet(SimulatedHost.Guest.NEEDS).used(900_000);
        host.add(2, 400_000, MAX, 100_000).workingSet(100_000);
        final Harness harness = new Harness(host, "proportional-share");

        harness.rounds(30, 1);

        assertThat(host.guest(1).curKib()).isLessThanOrEqualTo(900_000);
        assertThat(host.freeKib()).isGreaterThanOrEqualTo(60_000 - 4);
        assertThat(host.guest(2).curKib()).isLessThan(400_000);
    }

    @Test
    void aGuestThatStopsReportingIsHeldWhereItIs()
    {
        final SimulatedHost host = new SimulatedHost(POOL);
        final SimulatedHost.Guest guest = host.add(1, 300_000, MAX, 290_000).workingSet(SimulatedHost.Guest.NEEDS);
        final Harness harness = new Harness(host, "selfballoon");
        harness.round();
        guest.reporting(false).used(550_000);

        final List<DecisionRecord> records = harness.rounds(5, 1);

        assertThat(records).extracting(DecisionRecord::reason).containsOnly(DecisionReason.STATS_STALE);
        assertThat(records).extracting(DecisionRecord::applied).containsOnly(false);
    }
}
