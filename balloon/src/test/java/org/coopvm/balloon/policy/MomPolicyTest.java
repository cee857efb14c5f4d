package org.coopvm.balloon.policy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.coopvm.balloon.testing.Guests.decisionFor;
import static org.coopvm.balloon.testing.Guests.guest;
import static org.coopvm.balloon.testing.Guests.samples;
import static org.coopvm.balloon.testing.Guests.snapshot;

/** oVirt MoM's balloon.rules on recorded stats: a 1,000,000 KiB pool, guests of 400,000 KiB. */
class MomPolicyTest
{
    private static final long POOL = 1_000_000;
    private static final long CUR = 400_000;
    private static final long MAX = 800_000;

    private final MomPolicy mom = new MomPolicy(MomPolicy.Rules.DEFAULTS);

    @Test
    void underPressureShrinksAtMostFivePercentAndKeepsFreeScaledByPressure()
    {
        // host 10% free: pressure; each guest keeps 0.20 * (0.10 / 0.20) = 10% of its memory free
        final List<BalloonDecision> decisions = mom.decide(snapshot(POOL, 100_000,
            guest(1, CUR, MAX, samples(10, CUR, 200_000)),      // used 200,000: 5% step wins
            guest(2, CUR, MAX, samples(10, CUR, 50_000)),       // used 350,000: keeps 40,000 free
            guest(3, CUR, MAX, samples(10, CUR, 39_000))));     // used 361,000: already at its free goal

        assertThat(decisionFor(decisions, 1)).satisfies(d ->
        {
            assertThat(d.targetKib()).isEqualTo(380_000);
            assertThat(d.reason()).isEqualTo(DecisionReason.HOST_PRESSURE);
            assertThat(d.detail()).contains("host free 10.0% < 20.0%").contains("keep 10.0% free");
        });
        assertThat(decisionFor(decisions, 2).targetKib()).isEqualTo(350_000 + 40_000);
        assertThat(decisionFor(decisions, 3).reason()).isEqualTo(DecisionReason.NO_CHANGE);
        assertThat(decisionFor(decisions, 3).targetKib()).isEqualTo(CUR);
        for (final BalloonDecision decision : decisions)
        {
            assertThat(decision.targetKib()).isBetween((long)(CUR * 0.95), CUR);
        }
    }

    @Test
    void criticalPressurePushesGuestsBelowTheirUsedMemoryStillFivePercentAtATime()
    {
        // host 4% free: critical; guest free goal 0.04 - 0.05 = -1% of 400,000: 4,000 below what it uses
        final List<BalloonDecision> decisions = mom.decide(snapshot(POOL, 40_000,
            guest(1, CUR, MAX, samples(10, CUR, 10_000)),
            guest(2, CUR, MAX, samples(10, CUR, 100_000))));

        assertThat(decisionFor(decisions, 1).reason()).isEqualTo(DecisionReason.HOST_PRESSURE_CRITICAL);
        assertThat(decisionFor(decisions, 1).targetKib()).isEqualTo(390_000 - 4_000);
        assertThat(decisionFor(decisions, 2).targetKib()).isEqualTo(380_000);
    }

    @Test
    void withoutPressureGrowsFivePercentTowardMaxmem()
    {
        final List<BalloonDecision> decisions = mom.decide(snapshot(POOL, 500_000,
            guest(1, CUR, MAX, samples(10, CUR, 200_000)),
            guest(2, 790_000, MAX, samples(10, 790_000, 400_000)),
            guest(3, MAX, MAX, samples(10, MAX, 400_000)),
            guest(4, CUR, MAX, samples(10, CUR, 10_000))));

        assertThat(decisionFor(decisions, 1).targetKib()).isEqualTo(420_000);
        assertThat(decisionFor(decisions, 1).reason()).isEqualTo(DecisionReason.NO_PRESSURE_GROW);
        assertThat(decisionFor(decisions, 2).targetKib()).isEqualTo(MAX);
        assertThat(decisionFor(decisions, 3).reason()).isEqualTo(DecisionReason.NO_CHANGE);
        // used 390,000 wants 20% of 400,000 free: more than 5%
        assertThat(decisionFor(decisions, 4).targetKib()).isEqualTo(390_000 + 80_000);
    }

    @Test
    void changesUnderAQuarterPercentAreNotMade()
    {
        final List<BalloonDecision> decisions = mom.decide(snapshot(POOL, 500_000,
            guest(1, 799_000, MAX, samples(10, 799_000, 400_000))));

        assertThat(decisionFor(decisions, 1).reason()).isEqualTo(DecisionReason.CHANGE_TOO_SMALL);
        assertThat(decisionFor(decisions, 1).targetKib()).isEqualTo(799_000);
    }

    @Test
    void hostFreeIsAveragedOverTenRounds()
    {
        final DomainView guest = guest(1, CUR, MAX, samples(10, CUR, 200_000));
        for (int round = 0; round < 9; round++)
        {
            mom.decide(snapshot(POOL, 500_000, guest));
        }

        // one round at 10% free: the mean is 46%, no pressure yet
        assertThat(decisionFor(mom.decide(snapshot(POOL, 100_000, guest)), 1).reason())
            .isEqualTo(DecisionReason.NO_PRESSURE_GROW);
        for (int round = 0; round < 6; round++)
        {
            mom.decide(snapshot(POOL, 100_000, guest));
        }
        // seven rounds at 10% of the last ten: mean 22%, still none; the eighth makes it 18%
        assertThat(decisionFor(mom.decide(snapshot(POOL, 100_000, guest)), 1).reason())
            .isEqualTo(DecisionReason.HOST_PRESSURE);
    }

    @Test
    void guestUsedMemoryIsTheMeanOfItsLastTenSamples()
    {
        final StatsSample[] history = new StatsSample[12];
        for (int i = 0; i < history.length; i++)
        {
            // two old samples with nothing free (outside the ten), then free alternating 100,000 / 60,000
            final long free = i < 2 ? 0 : i % 2 == 0 ? 100_000 : 60_000;
            history[i] = StatsSample.of(i + 1, CUR, free, 0, StatsSample.UNKNOWN);
        }

        // mean free 80,000: used 320,000; keeps 10% of 400,000 free: 360,000 (above the 5% step)
        final BalloonDecision decision = decisionFor(mom.decide(snapshot(POOL, 100_000, guest(1, CUR, MAX, history))), 1);

        assertThat(decision.targetKib()).isEqualTo(380_000);
        final BalloonDecision tight = decisionFor(new MomPolicy(new MomPolicy.Rules(0.20, 0.05, 0.20, 0.20, 0.0025, 10))
            .decide(snapshot(POOL, 100_000, guest(1, CUR, MAX, history))), 1);
        assertThat(tight.targetKib()).isEqualTo(360_000);
    }

    @Test
    void aGuestWithoutFreshStatsIsLeftAlone()
    {
        final DomainView stale = guest(1, CUR, MAX, samples(10, CUR, 300_000)).withStats(false, List.of(samples(10, CUR, 300_000)));

        final BalloonDecision decision = decisionFor(mom.decide(snapshot(POOL, 100_000, stale, guest(2, CUR, MAX))), 1);

        assertThat(decision.reason()).isEqualTo(DecisionReason.STATS_STALE);
        assertThat(decision.targetKib()).isEqualTo(CUR);
        assertThat(decisionFor(mom.decide(snapshot(POOL, 100_000, guest(2, CUR, MAX))), 2).reason())
            .isEqualTo(DecisionReason.STATS_MISSING);
    }

    @Test
    void theFloorLimitsShrinking()
    {
        final DomainView floored = guest(1, CUR, MAX, samples(10, CUR, 300_000)).withFloorAndWeight(390_000, 256);

        assertThat(decisionFor(mom.decide(snapshot(POOL, 100_000, floored)), 1).targetKib()).isEqualTo(390_000);
    }
}
