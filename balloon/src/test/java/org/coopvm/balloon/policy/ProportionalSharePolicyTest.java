package org.coopvm.balloon.policy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.coopvm.balloon.testing.Guests.decisionFor;
import static org.coopvm.balloon.testing.Guests.guest;
import static org.coopvm.balloon.testing.Guests.sample;
import static org.coopvm.balloon.testing.Guests.snapshot;

/** ESX's idle memory tax on recorded working sets; the pool keeps 6% free (60,000 of 1,000,000 KiB). */
class ProportionalSharePolicyTest
{
    private static final long POOL = 1_000_000;
    private static final long MAX = 1_000_000;

    @Test
    void reclaimsFromTheIdleGuestFirst()
    {
        final List<BalloonDecision> decisions = policy(0.75).decide(snapshot(POOL, 0,
            active(1, 500_000, 50_000),
            active(2, 500_000, 400_000)));

        assertThat(decisionFor(decisions, 1).targetKib()).isEqualTo(440_000);
        assertThat(decisionFor(decisions, 1).reason()).isEqualTo(DecisionReason.IDLE_TAX_RECLAIM);
        assertThat(decisionFor(decisions, 1).detail()).contains("lowest rho").contains("reclaim 60000 KiB");
        assertThat(decisionFor(decisions, 2).targetKib()).isEqualTo(500_000);
        assertThat(decisionFor(decisions, 2).reason()).isEqualTo(DecisionReason.SHARE_HOLD);
    }

    @Test
    void tauZeroIsPureShareBasedAndIgnoresActivity()
    {
        final DomainView idleSmall = active(1, 400_000, 40_000);
        final DomainView activeLarge = active(2, 600_000, 480_000);

        final List<BalloonDecision> taxed = policy(0.75).decide(snapshot(POOL, 0, idleSmall, activeLarge));
        final List<BalloonDecision> pure = policy(0.0).decide(snapshot(POOL, 0, idleSmall, activeLarge));

        assertThat(decisionFor(taxed, 1).targetKib()).isEqualTo(340_000);
        assertThat(decisionFor(taxed, 2).targetKib()).isEqualTo(600_000);
        // rho = shares / pages: the larger domain has fewer shares per page, whatever it does with them
        assertThat(decisionFor(pure, 1).targetKib()).isEqualTo(400_000);
        assertThat(decisionFor(pure, 2).targetKib()).isEqualTo(540_000);
    }

    @Test
    void tauZeroWithEqualSharesAndSizesReclaimsEqually()
    {
        final List<BalloonDecision> pure = policy(0.0).decide(snapshot(POOL, 0,
            active(1, 500_000, 10_000),
            active(2, 500_000, 400_000)));

        final long first = 500_000 - decisionFor(pure, 1).targetKib();
        final long second = 500_000 - decisionFor(pure, 2).targetKib();
        assertThat(first + second).isEqualTo(60_000);
        assertThat(Math.abs(first - second)).isLessThanOrEqualTo(ProportionalSharePolicy.Settings.DEFAULTS.chunkKib());
    }

    @Test
    void moreSharesProtectAGuest()
    {
        final List<BalloonDecision> decisions = policy(0.75).decide(snapshot(POOL, 0,
            active(1, 500_000, 400_000).withFloorAndWeight(0, 512),
            active(2, 500_000, 400_000)));

        assertThat(decisionFor(decisions, 1).targetKib()).isEqualTo(500_000);
        assertThat(decisionFor(decisions, 2).targetKib()).isEqualTo(440_000);
    }

    @Test
    void freePoolGoesToTheGuestWithDemandUpToItsWorkingSetPlusHeadroom()
    {
        final List<BalloonDecision> decisions = policy(0.75).decide(snapshot(2 * POOL, POOL,
            active(1, 500_000, 50_000),
            active(2, 500_000, 500_000)));

        assertThat(decisionFor(decisions, 1).targetKib()).isEqualTo(500_000);
        assertThat(decisionFor(decisions, 2).targetKib()).isEqualTo(625_000);
        assertThat(decisionFor(decisions, 2).reason()).isEqualTo(DecisionReason.SHARE_GRANT);
    }

    @Test
    void withoutFreePoolMemoryMovesFromTheIdleGuestToTheActiveOne()
    {
        final List<BalloonDecision> decisions = policy(0.75).decide(snapshot(POOL, 60_000,
            active(1, 470_000, 50_000),
            active(2, 470_000, 470_000)));

        assertThat(decisionFor(decisions, 2).targetKib()).isEqualTo(587_500);
        assertThat(decisionFor(decisions, 1).targetKib()).isEqualTo(470_000 - 117_500);
    }

    @Test
    void withPureSharesABiggerGuestCannotTakeFromASmallerOne()
    {
        final List<BalloonDecision> decisions = policy(0.0).decide(snapshot(POOL, 60_000,
            active(1, 340_000, 0),
            active(2, 600_000, 600_000)));

        assertThat(decisionFor(decisions, 1).targetKib()).isEqualTo(340_000);
        assertThat(decisionFor(decisions, 2).targetKib()).isEqualTo(600_000);
    }

    @Test
    void aGuestThatStopsReportingIsTaxedAsIdleAndGetsNothing()
    {
        final DomainView silent = active(1, 500_000, 500_000).withStats(false, List.of(sample(500_000, 0, 0, 500_000)));

        final List<BalloonDecision> shortPool = policy(0.75).decide(snapshot(POOL, 0, silent, active(2, 500_000, 400_000)));
        final List<BalloonDecision> plenty = policy(0.75).decide(snapshot(2 * POOL, POOL, silent));

        assertThat(decisionFor(shortPool, 1).targetKib()).isEqualTo(440_000);
        assertThat(decisionFor(plenty, 1).reason()).isEqualTo(DecisionReason.STATS_STALE);
        assertThat(decisionFor(plenty, 1).targetKib()).isEqualTo(500_000);
    }

    @Test
    void rhoIsSharesOverActivePlusTaxedIdlePages()
    {
        final ProportionalSharePolicy policy = policy(0.75);
        final DomainView view = active(1, 500_000, 100_000);

        assertThat(policy.rho(view, 500_000)).isEqualTo(256.0 / (100_000 + 4 * 400_000));
        assertThat(policy(0.0).rho(view, 500_000)).isEqualTo(256.0 / 500_000);
    }

    private static ProportionalSharePolicy policy(final double tau)
    {
        final ProportionalSharePolicy.Settings defaults = ProportionalSharePolicy.Settings.DEFAULTS;
        return new ProportionalSharePolicy(new ProportionalSharePolicy.Settings(tau, defaults.minFreePercent(),
            defaults.chunkKib(), defaults.wsHeadroom()));
    }

    private static DomainView active(final int domid, final long cur, final long workingSet)
    {
        return guest(domid, cur, MAX, sample(cur, cur - workingSet, 0, workingSet));
    }
}
