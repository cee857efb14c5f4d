package org.coopvm.balloon.guest;

import org.agrona.concurrent.CachedNanoClock;

import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A driver over a fake allocator and a fake hypervisor, with a clock the test moves.
 * Frames {@code 0 .. populated - 1} are the guest's at boot, the rest up to {@code maxFrames}
 * start ballooned.
 */
final class BalloonRig
{
    /** Steps a run may take before the test fails (a driver that never settles). */
    static final int MAX_STEPS = 100_000;

    final CachedNanoClock clock = new CachedNanoClock();
    final FakeFrameSource frames;
    final FakeReservation reservation;
    final BalloonDriver driver;
    final int maxFrames;

    BalloonRig(final BalloonConfig config, final int maxFrames, final int populated, final int reserveFrames)
    {
        this.maxFrames = maxFrames;
        clock.update(1_000_000_000L);
        frames = new FakeFrameSource(maxFrames, populated, reserveFrames);
        reservation = new FakeReservation(populated);
        driver = new BalloonDriver(config, frames, reservation, clock, maxFrames,
            IntStream.range(populated, maxFrames).toArray());
    }

    BalloonRig(final int maxFrames, final int populated)
    {
        this(BalloonConfig.DEFAULT, maxFrames, populated, 0);
    }

    /** Step while the driver has work now (no clock movement); returns the steps taken. */
    int runWhileWork()
    {
        int steps = 0;
        while (driver.wakeDeadlineNs() == BalloonDriver.RUN_NOW)
        {
            driver.doWork();
            assertThat(++steps).as("steps before the driver settles").isLessThan(MAX_STEPS);
        }
        return steps;
    }

    /** Step, jumping the clock to each retry, until the driver asks for no wake-up. */
    void runUntilIdle()
    {
        for (int i = 0; i < MAX_STEPS; i++)
        {
            runWhileWork();
            final long deadline = driver.wakeDeadlineNs();
            if (deadline == BalloonDriver.NEVER)
            {
                return;
            }
            clock.update(Math.max(clock.nanoTime(), deadline));
            driver.doWork();
        }
        throw new AssertionError("the driver never went idle");
    }

    BalloonStatus status()
    {
        return driver.status();
    }

    /** The allocator's frames and the ballooned frames split the guest's frames, and only the allocator's are populated. */
    void assertFramesPartitioned()
    {
        final BalloonStatus status = driver.status();
        assertThat(frames.frames() + status.balloonedFrames()).as("allocator + ballooned frames").isEqualTo(maxFrames);
        assertThat(reservation.populatedFrames()).as("populated frames").isEqualTo(frames.frames());
        int misplaced = -1;
        for (int gpfn = 0; gpfn < maxFrames && misplaced < 0; gpfn++)
        {
            final boolean owned = frames.owns(gpfn);
            if (reservation.isPopulated(gpfn) != owned || driver.isBallooned(gpfn) == owned)
            {
                misplaced = gpfn;
            }
        }
        assertThat(misplaced).as("first frame that is not exactly one of allocator-owned-and-populated or ballooned")
            .isEqualTo(-1);
    }

    static String kib(final int frames)
    {
        return Long.toString((long)frames * BalloonStatus.KIB_PER_FRAME);
    }
}
