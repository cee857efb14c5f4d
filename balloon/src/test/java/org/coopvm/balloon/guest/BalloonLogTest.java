package org.coopvm.balloon.guest;

import org.coopvm.rings.hypercall.Errno;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.coopvm.balloon.guest.BalloonRig.kib;

/**
 * The balloon's console lines: one per event whatever the number of batches, the guest's
 * refusal explained, and a flood cut by the rate limit with the count of dropped lines.
 */
class BalloonLogTest
{
    private final BalloonRig rig = new BalloonRig(8192, 8192);
    private final List<String> lines = new ArrayList<>();
    private final BalloonLog log = new BalloonLog(line ->
    {
        lines.add(line);
        return 0;
    }, rig.clock, rig.status());

    @Test
    void aTargetReachedInSixteenBatchesIsTwoLines()
    {
        rig.driver.offerTarget(kib(0));
        steps();

        assertThat(rig.reservation.decreaseBatches()).hasSize(16);
        assertThat(lines).containsExactly(
            "balloon: target 0 KiB accepted, holding 32768 KiB",
            "balloon: reached 0 KiB after 0 ms");
    }

    @Test
    void aRefusingHostIsOneLineWhenStuckAndOneWhenTheDriverGivesUp()
    {
        rig.reservation.failWith(Errno.EINVAL);
        rig.driver.offerTarget(kib(4096));
        for (int i = 0; i < 10; i++)
        {
            steps();
            rig.clock.advance(TimeUnit.SECONDS.toNanos(40));
        }

        assertThat(lines).containsExactly(
            "balloon: target 16384 KiB accepted, holding 32768 KiB",
            "balloon: no progress at 32768 KiB towards 16384 KiB: refused (-22); retrying with backoff",
            "balloon: gave up at 32768 KiB, target 16384 KiB: refused (-22) after 4 retries; waiting for a new target");
    }

    @Test
    void aFloodOfIgnoredTargetsIsCutAtTenLinesAWindowAndTheNextLineSaysHowManyWereDropped()
    {
        for (int i = 0; i < 15; i++)
        {
            rig.driver.offerTarget("x" + i);
            log.observe(rig.status(), "x" + i);
        }
        assertThat(lines).hasSize(BalloonLog.MAX_LINES_PER_WINDOW).last().isEqualTo("balloon: ignored memory/target \"x9\": not a number");

        rig.clock.advance(TimeUnit.MILLISECONDS.toNanos(BalloonLog.WINDOW_MS));
        rig.driver.offerTarget("y");
        log.observe(rig.status(), "y");

        assertThat(lines).last().isEqualTo("balloon: ignored memory/target \"y\": not a number (5 balloon lines dropped before)");
    }

    private void steps()
    {
        for (long at = rig.driver.wakeDeadlineNs(); at == BalloonDriver.RUN_NOW || at != BalloonDriver.NEVER && at <= rig.clock.nanoTime();
            at = rig.driver.wakeDeadlineNs())
        {
            rig.driver.doWork();
            log.observe(rig.status(), "");
        }
    }
}
