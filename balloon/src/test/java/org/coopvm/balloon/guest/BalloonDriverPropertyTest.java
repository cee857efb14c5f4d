package org.coopvm.balloon.guest;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.coopvm.rings.hypercall.Errno;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random sequences of target writes (valid and garbage), pressure signals, hypervisor
 * misbehaviour and clock jumps: the guest never holds more than its maximum nor inflates below
 * its floor, the ballooned frames and the allocator's frames always split the guest's frames
 * (and only the allocator's are populated), and with a working hypervisor a final target is
 * always reached.
 */
class BalloonDriverPropertyTest
{
    private static final int MAX_FRAMES = 1536;

    /** One thing that happens to the guest. */
    sealed interface Action permits WriteTarget, WriteGarbage, Pressure, Misbehave, Steps
    {
    }

    record WriteTarget(int frames) implements Action
    {
    }

    record WriteGarbage(String text) implements Action
    {
    }

    record Pressure() implements Action
    {
    }

    /** errno 0 and half false: a working hypervisor. */
    record Misbehave(int errno, boolean half) implements Action
    {
    }

    record Steps(int count, long advanceMs) implements Action
    {
    }

    @Property(tries = 200)
    void framesStayPartitionedWithinMaxAndFloor(
        @ForAll @IntRange(min = 0, max = MAX_FRAMES) final int populated,
        @ForAll @IntRange(min = 0, max = MAX_FRAMES) final int floor,
        @ForAll final boolean deflateOnPressure,
        @ForAll("actions") @Size(max = 40) final List<Action> actions,
        @ForAll @IntRange(min = 0, max = MAX_FRAMES + 100) final int finalTarget)
    {
        final int boot = Math.max(populated, floor);
        final BalloonRig rig = new BalloonRig(BalloonConfig.DEFAULT.withDeflateOnPressure(deflateOnPressure)
            .withGuestNeedKib(4L * floor), MAX_FRAMES, boot, Math.min(floor, 64));

        for (final Action action : actions)
        {
            apply(rig, action);
            assertInvariants(rig, floor);
        }

        rig.reservation.failWith(0);
        rig.reservation.doHalf(false);
        rig.driver.offerTarget(BalloonRig.kib(finalTarget));
        rig.driver.doWork();
        rig.driver.offerTarget(BalloonRig.kib(finalTarget + 1));
        rig.runUntilIdle();
        assertInvariants(rig, floor);
        final int expected = Math.min(MAX_FRAMES, Math.max(finalTarget + 1, floor));
        assertThat(rig.status().currentFrames()).as("a working hypervisor reaches the final target").isEqualTo(expected);
        assertThat(rig.status().converged()).isTrue();
    }

    private static void apply(final BalloonRig rig, final Action action)
    {
        switch (action)
        {
            case WriteTarget t -> rig.driver.offerTarget(BalloonRig.kib(t.frames()));
            case WriteGarbage g -> assertThat(rig.driver.offerTarget(g.text())).isNotEqualTo(KibRejection.NONE);
            case Pressure p -> rig.driver.notifyPressure();
            case Misbehave m ->
            {
                rig.reservation.failWith(m.errno());
                rig.reservation.doHalf(m.half());
            }
            case Steps s ->
            {
                for (int i = 0; i < s.count(); i++)
                {
                    rig.driver.doWork();
                }
                rig.clock.advance(TimeUnit.MILLISECONDS.toNanos(s.advanceMs()));
            }
        }
    }

    private static void assertInvariants(final BalloonRig rig, final int floor)
    {
        final BalloonStatus status = rig.status();
        assertThat(status.currentFrames()).isBetween(floor, MAX_FRAMES);
        assertThat(status.currentFrames() + status.balloonedFrames()).isEqualTo(MAX_FRAMES);
        rig.assertFramesPartitioned();
    }

    @Provide
    Arbitrary<List<Action>> actions()
    {
        final Arbitrary<Action> target = Arbitraries.integers().between(0, MAX_FRAMES + 100).map(WriteTarget::new);
        final Arbitrary<Action> garbage = Arbitraries.of("", "-4", "x1", "1e6", "99999999999999999999").map(WriteGarbage::new);
        final Arbitrary<Action> pressure = Arbitraries.just(new Pressure());
        final Arbitrary<Action> misbehave = Combinators.combine(
            Arbitraries.of(0, 0, Errno.ENOMEM, Errno.E2BIG, Errno.EPERM), Arbitraries.of(false, true)).as(Misbehave::new);
        final Arbitrary<Action> steps = Combinators.combine(
            Arbitraries.integers().between(1, 6), Arbitraries.longs().between(0, 40_000)).as(Steps::new);
        return Arbitraries.frequencyOf(
            Tuple.of(3, target),
            Tuple.of(1, garbage),
            Tuple.of(1, pressure),
            Tuple.of(1, misbehave),
            Tuple.of(6, steps)).list();
    }
}
