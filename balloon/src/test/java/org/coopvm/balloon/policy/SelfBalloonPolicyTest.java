package org.coopvm.balloon.policy;

import org.coopvm.balloon.engine.DecisionRecord;
import org.coopvm.balloon.testing.Harness;
import org.coopvm.balloon.testing.SimulatedHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.coopvm.balloon.testing.Guests.decisionFor;
import static org.coopvm.balloon.testing.Guests.guest;
import static org.coopvm.balloon.testing.Guests.sample;
import static org.coopvm.balloon.testing.Guests.snapshot;

/** Linux's self-ballooning goal, hysteresis and floor, on recorded stats and in a simulated host. */
class SelfBalloonPolicyTest
{
    private static final long MIB = 1024;
    private static final long GIB = 1024 * MIB;

    private final SelfBalloonPolicy policy = new SelfBalloonPolicy(SelfBalloonPolicy.Settings.DEFAULTS);

    @ParameterizedTest
    @CsvSource({
        // maxmem KiB, floor KiB (reserve 8 MiB): Linux's piecewise-linear floor
        "16384, 16384",                                  // 8 MiB useful: not worth ballooning
        "65536, 45056",                                  // 56 MiB useful: 8 + 16 + 40/2 MiB
        "262144, 75776",                                 // 248 MiB useful: 8 + 40 + 208/8 MiB
        "1048576, 138912",                               // 1016 MiB useful: 8 + 99 + 917/32 MiB
    })
    void floorIsLinuxsPiecewiseLinearOne(final long maxKib, final long floorKib)
    {
        assertThat(policy.floorKib(maxKib)).isEqualTo(floorKib);
    }

    @Test
    void minUsableReplacesThePiecewiseFloor()
    {
        final SelfBalloonPolicy fixed = new SelfBalloonPolicy(new SelfBalloonPolicy.Settings(8 * MIB, 8, 1, 100 * MIB, MIB));

        assertThat(fixed.floorKib(GIB)).isEqualTo(108 * MIB);
    }

    @Test
    void shrinksAnEighthOfTheExcessAndGrowsAtOnce()
    {
        // goal = committed (total - free - cache) + 8 MiB reserve
        final List<BalloonDecision> decisions = policy.decide(snapshot(4 * GIB, GIB,
            guest(1, GIB, GIB, sample(GIB, 748_576, 100_000, StatsSample.UNKNOWN)),
            guest(2, 300_000, GIB, sample(300_000, 0, 0, StatsSample.UNKNOWN).withAllocStalls(3))));

        final long goal1 = 200_000 + 8 * MIB;
        assertThat(decisionFor(decisions, 1).targetKib()).isEqualTo(GIB - (GIB - goal1) / 8);
        assertThat(decisionFor(decisions, 1).reason()).isEqualTo(DecisionReason.SELF_SHRINK);
        assertThat(decisionFor(decisions, 2).targetKib()).isEqualTo(300_000 + 8 * MIB);
        assertThat(decisionFor(decisions, 2).reason()).isEqualTo(DecisionReason.SELF_GROW);
    }

    @Test
    void convergesToTheGoalWithoutOscillating()
    {
        final SimulatedHost host = new SimulatedHost(4 * GIB);
        host.add(1, GIB, GIB, 300_000).cache(200_000);
        final Harness harness = new Harness(host, "selfballoon");

        final List<DecisionRecord> records = harness.rounds(60, 1);

        final long goal = 300_000 + 8 * MIB;
        long previous = GIB;
        for (final DecisionRecord record : records)
        {
            assertThat(record.targetKib()).isLessThanOrEqualTo(previous).isGreaterThanOrEqualTo(goal);
            previous = record.targetKib();
        }
        assertThat(host.guest(1).curKib()).isBetween(goal, goal + MIB);
        assertThat(records.getLast().reason()).isEqualTo(DecisionReason.SELF_AT_GOAL);
    }

    @Test
    void jitterInsideTheDeadBandChangesNothing()
    {
        final SimulatedHost host = new SimulatedHost(4 * GIB);
        final SimulatedHost.Guest guest = host.add(1, 400_000, GIB, 400_000 - 8 * MIB);
        final Harness harness = new Harness(host, "selfballoon");

        for (int round = 0; round < 20; round++)
        {
            guest.used(400_000 - 8 * MIB + (round % 2 == 0 ? 900 : -900));
            final DecisionRecord record = harness.round().getFirst();
            assertThat(record.reason()).isEqualTo(DecisionReason.SELF_AT_GOAL);
            assertThat(record.applied()).isFalse();
        }
        assertThat(guest.targetKib()).isEqualTo(400_000);
    }

    @Test
    void aDemandSpikeIsMetAtOnceThenGivenBackSlowly()
    {
        final SimulatedHost host = new SimulatedHost(4 * GIB);
        final SimulatedHost.Guest guest = host.add(1, 200_000, GIB, 100_000).workingSet(SimulatedHost.Guest.NEEDS);
        final Harness harness = new Harness(host, "selfballoon", "min_usable_kib=16384");
        harness.rounds(40, 1);
        assertThat(guest.curKib()).isBetween(108_192L, 108_192L + MIB);

        guest.used(500_000);
        assertThat(harness.round().getFirst().reason()).isEqualTo(DecisionReason.SELF_GROW);
        harness.round();
        assertThat(guest.curKib()).isEqualTo(508_192);

        guest.used(100_000);
        final List<DecisionRecord> back = harness.rounds(3, 1);
        assertThat(back).extracting(DecisionRecord::reason).containsOnly(DecisionReason.SELF_SHRINK);
        // an eighth of the excess over the goal per round, rounded down to a 4 KiB page
        assertThat(back).extracting(DecisionRecord::targetKib).containsExactly(
            508_192L - 400_000 / 8, (458_192L - 350_000 / 8) / 4 * 4, (414_440L - 306_248 / 8) / 4 * 4);
    }

    @Test
    void withoutAWorkingSetGrowthIsTheReservePerRound()
    {
        final SimulatedHost host = new SimulatedHost(4 * GIB);
        final SimulatedHost.Guest guest = host.add(1, 200_000, GIB, 500_000);
        final Harness harness = new Harness(host, "selfballoon");

        harness.rounds(3, 1);

        assertThat(guest.curKib()).isEqualTo(200_000 + 2 * 8 * MIB);
    }

    @Test
    void neverBelowTheFloor()
    {
        final List<BalloonDecision> decisions = policy.decide(snapshot(4 * GIB, GIB,
            guest(1, 140_000, GIB, sample(140_000, 139_000, 0, StatsSample.UNKNOWN))));

        assertThat(decisionFor(decisions, 1).targetKib()).isEqualTo(138_912);
        final List<BalloonDecision> atFloor = policy.decide(snapshot(4 * GIB, GIB,
            guest(1, 138_912, GIB, sample(138_912, 137_000, 0, StatsSample.UNKNOWN))));
        assertThat(decisionFor(atFloor, 1).reason()).isEqualTo(DecisionReason.SELF_AT_GOAL);
    }

    @Test
    void theGuestsDeclaredFloorRaisesTheGoal()
    {
        final StatsSample declared = new StatsSample(1, 1, GIB, 900_000, 900_000, 0, StatsSample.UNKNOWN, 0, 0, 0, 0, 0,
            600_000, 0);

        final BalloonDecision decision = decisionFor(policy.decide(snapshot(4 * GIB, GIB, guest(1, GIB, GIB, declared))), 1);

        assertThat(decision.targetKib()).isEqualTo(GIB - (GIB - 600_000) / 8);
    }
}
