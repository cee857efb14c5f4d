package org.coopvm.guest.coop;

import org.coopvm.guest.coop.MemoryCooperativePolicy.Kind;
import org.coopvm.rings.balloon.StatsFreshness;
import org.coopvm.rings.usage.DomainCpu;
import org.coopvm.rings.usage.DomainUsage;
import org.coopvm.rings.usage.HostUsage;
import org.coopvm.rings.usage.UsageEntryDescriptor;
import org.coopvm.rings.usage.UsageSnapshot;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code memory-cooperative}'s decisions on recorded usage pages, with its defaults: low water
 * 0.10, goal 0.20, high water 0.40, pool reserve 0.05 of a 1,000,000 KiB pool (50,000 KiB), no
 * request under 1024 KiB. The guest is domain 1 with maxmem 200,000 KiB.
 */
class MemoryCooperativePolicyTest
{
    private static final long POOL = 1_000_000;
    private static final int SELF = 1;

    private final MemoryCooperativePolicy policy = configured(Map.of());
    private final RecordingContext ctx = new RecordingContext(SELF, 200_000);

    @Test
    void shortOfMemoryItAsksForWhatBringsItBackToGoalWhenThePoolHasRoom()
    {
        ctx.memory(100_000, 2_000, 5_000);

        run(200_000, self(100_000));

        // (0.2 x 100,000 - 5,000) / 0.8 = 18,750 (18,752 in pages) brings available to 20% of the new total
        assertThat(policy.lastDecision().kind()).isEqualTo(Kind.ASK);
        assertThat(ctx.requests).containsExactly(18_752L);
        assertThat(ctx.outstandingRequestKib()).isEqualTo(18_752);
        assertThat(ctx.lines).singleElement().asString()
            .startsWith("ask 18752 KiB: available 5000, free 2000 of 100000 KiB, available below low water");
    }

    @Test
    void itAsksNoMoreThanThePoolHasAboveItsReserve()
    {
        ctx.memory(100_000, 2_000, 5_000);

        run(60_000, self(100_000));

        assertThat(ctx.requests).containsExactly(10_000L);
    }

    @Test
    void withNoRoomInThePoolItWithdrawsAndWaitsForVolunteers()
    {
        ctx.memory(100_000, 2_000, 5_000);
        run(200_000, self(100_000));

        run(40_000, self(100_000));

        assertThat(policy.lastDecision().kind()).isEqualTo(Kind.WITHDRAW);
        assertThat(policy.lastDecision().why()).contains("waiting for volunteers");
        assertThat(ctx.requests).containsExactly(18_752L, 0L);
        assertThat(ctx.outstandingRequestKib()).isZero();
    }

    @Test
    void itNeverAsksBeyondItsMaxmem()
    {
        ctx.memory(199_500, 1_000, 1_000);

        run(500_000, self(199_500));

        assertThat(policy.lastDecision().kind()).isEqualTo(Kind.CONTENT);
        assertThat(ctx.requests).isEmpty();
    }

    @Test
    void memoryAnotherDomainIsGivingBackCountsAsRoom()
    {
        ctx.memory(100_000, 2_000, 5_000);

        // the pool is at its reserve, but domain 2 is ballooning 20,000 KiB down
        run(50_000, self(100_000), entry(2, 100_000, 80_000, 200_000, 50_000, 30_000));

        assertThat(ctx.requests).containsExactly(18_752L);
    }

    @Test
    void withFreeMemoryItGivesWhatAStarvedDomainNeeds()
    {
        ctx.memory(100_000, 80_000, 80_000);

        run(50_000, self(100_000), starved(2));

        // domain 2 has 2,000 of 100,000 available: it needs (20,000 - 2,000) / 0.8 = 22,500
        assertThat(policy.lastDecision().kind()).isEqualTo(Kind.VOLUNTEER);
        assertThat(ctx.requests).containsExactly(-22_500L);
    }

    @Test
    void volunteersShareTheDemandByWhatEachCouldGive()
    {
        ctx.memory(100_000, 80_000, 80_000);

        // domain 3 has the same excess: each gives half
        run(50_000, self(100_000), starved(2), entry(3, 100_000, 100_000, 100_000, 80_000, 20_000));

        assertThat(ctx.requests).containsExactly(-11_252L);
    }

    @Test
    void itGivesWhatThePoolLacksEvenWhenNobodyStarves()
    {
        ctx.memory(100_000, 80_000, 80_000);

        run(30_000, self(100_000));

        assertThat(ctx.requests).containsExactly(-20_000L);
    }

    @Test
    void itKeepsItsFreeMemoryWhenNobodyNeedsItAndWithdrawsAnOfferNoLongerNeeded()
    {
        ctx.memory(100_000, 80_000, 80_000);
        run(300_000, self(100_000));
        assertThat(policy.lastDecision().kind()).isEqualTo(Kind.CONTENT);
        assertThat(ctx.requests).isEmpty();

        run(30_000, self(100_000));
        run(300_000, self(100_000));

        assertThat(ctx.requests).containsExactly(-20_000L, 0L);
        assertThat(policy.lastDecision().why()).contains("nobody needs the offer");
    }

    @Test
    void aGrantOnItsWayIsNotAskedForAgain()
    {
        ctx.memory(100_000, 2_000, 5_000);

        // the host already set a target 20,000 above: available will be 25,000 of 120,000
        run(200_000, entry(SELF, 100_000, 120_000, 200_000, 2_000, 95_000));

        assertThat(policy.lastDecision().kind()).isEqualTo(Kind.CONTENT);
        assertThat(ctx.requests).isEmpty();
    }

    @Test
    void aShrinkTheGuestCannotFinishIsAskedBackNotWaitedFor()
    {
        ctx.memory(100_000, 2_000, 5_000);

        // it offered 5,000 earlier, then its workload took the memory: the target is below what it
        // can give; at 95,000 it would have nothing available and want 23,752 to reach goal
        run(200_000, entry(SELF, 100_000, 95_000, 200_000, 2_000, 95_000));

        assertThat(ctx.requests).as("relative to what it holds now").containsExactly(18_752L);
    }

    @Test
    void aGuestThatGotWhatItAskedForDoesNotGiveItBack()
    {
        ctx.memory(100_000, 2_000, 5_000);
        run(200_000, self(100_000));

        ctx.memory(118_752, 23_752, 23_752);
        run(20_000, self(118_752), starved(2));

        assertThat(policy.lastDecision().kind()).as("20% free is below high water").isEqualTo(Kind.CONTENT);
        assertThat(ctx.requests).containsExactly(18_752L);
    }

    @Test
    void backBetweenTheWaterMarksItWithdrawsTheRestOfItsRequest()
    {
        ctx.memory(100_000, 2_000, 5_000);
        run(200_000, self(100_000));

        // the host granted part of it: 13.6% available is no longer short
        ctx.memory(110_000, 15_000, 15_000);
        run(200_000, self(110_000));

        assertThat(policy.lastDecision().kind()).isEqualTo(Kind.WITHDRAW);
        assertThat(policy.lastDecision().why()).contains("back within the water marks");
        assertThat(ctx.requests).containsExactly(18_752L, 0L);
        assertThat(ctx.outstandingRequestKib()).isZero();
    }

    @Test
    void onlyFreshLiveDomainsCountAsStarved()
    {
        ctx.memory(100_000, 80_000, 80_000);
        final DomainUsage stale = new DomainUsage(2, 0, 100_000, 100_000, 0, 200_000, 1_000, 98_000, 9_000, StatsFreshness.STALE,
            DomainCpu.UNKNOWN);
        final DomainUsage dying = new DomainUsage(3, UsageEntryDescriptor.FLAG_DYING, 100_000, 100_000, 0, 200_000, 1_000, 98_000, 10,
            StatsFreshness.FRESH, DomainCpu.UNKNOWN);

        run(200_000, self(100_000), stale, dying);

        assertThat(policy.lastDecision().kind()).isEqualTo(Kind.CONTENT);
        assertThat(ctx.requests).isEmpty();
    }

    @Test
    void anUnknownPoolMeansWaiting()
    {
        ctx.memory(100_000, 2_000, 5_000);

        policy.onUsage(new UsageSnapshot(2, 0, 1000, 0, HostUsage.UNKNOWN, List.of(self(100_000))), ctx);

        assertThat(policy.lastDecision().kind()).isEqualTo(Kind.WAIT);
        assertThat(ctx.requests).isEmpty();
    }

    @Test
    void argumentsMoveTheWaterMarksAndMustKeepThemInOrder()
    {
        final MemoryCooperativePolicy eager = configured(Map.of("low_water", "0.3", "goal", "0.5", "high_water", "0.9"));
        ctx.memory(100_000, 25_000, 25_000);

        eager.onUsage(page(500_000, self(100_000)), ctx);

        assertThat(ctx.requests).containsExactly(50_000L);
        assertThatThrownBy(() -> configured(Map.of("goal", "0.05")))
            .isInstanceOfSatisfying(CooperationConfigException.class, ex -> assertThat(ex.key()).isEqualTo("goal"))
            .hasMessageContaining("need low_water < goal < high_water");
    }

    private void run(final long poolFreeKib, final DomainUsage... domains)
    {
        policy.onUsage(page(poolFreeKib, domains), ctx);
    }

    private static UsageSnapshot page(final long poolFreeKib, final DomainUsage... domains)
    {
        return new UsageSnapshot(2, 0, 1000, 0, HostUsage.memory(POOL, poolFreeKib), new ArrayList<>(List.of(domains)));
    }

    private static DomainUsage self(final long currentKib)
    {
        return entry(SELF, currentKib, currentKib, 200_000, 0, 0);
    }

    /** A domain holding 100,000 KiB with 2,000 available: it needs 22,500 to reach goal. */
    private static DomainUsage starved(final int domid)
    {
        return entry(domid, 100_000, 100_000, 200_000, 1_000, 98_000);
    }

    private static DomainUsage entry(final int domid, final long currentKib, final long targetKib, final long maxKib,
        final long freeKib, final long workingSetKib)
    {
        return new DomainUsage(domid, 0, currentKib, targetKib, 0, maxKib, freeKib, workingSetKib, 10, StatsFreshness.FRESH,
            DomainCpu.UNKNOWN);
    }

    private static MemoryCooperativePolicy configured(final Map<String, String> args)
    {
        final MemoryCooperativePolicy policy = new MemoryCooperativePolicy();
        policy.configure(new CooperationArgs(args));
        return policy;
    }
}
