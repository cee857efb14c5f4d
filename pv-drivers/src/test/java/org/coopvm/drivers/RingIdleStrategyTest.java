package org.coopvm.drivers;

import org.coopvm.rings.doorbell.AdaptivePollWindow;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A ring agent's idle strategy polls only while polling pays: after an idle spell longer than the
 * longest poll (an agent woken every few hundred microseconds, or an idle one) it asks to be
 * notified and parks at once, and wake-ups that come soon bring the poll back.
 */
class RingIdleStrategyTest
{
    @Test
    void anAgentWokenLongAfterItWentIdleParksAtOnceNextTimeAndPollsAgainOnceWakeUpsComeSoon()
    {
        final RingIdleStrategy idle = new RingIdleStrategy(TimeUnit.MILLISECONDS.toNanos(1), true);
        assertThat(idle.pollWindowNs()).isEqualTo(RingIdleStrategy.POLL_NS);

        idle.idle(0);
        outlast(RingIdleStrategy.POLL_NS);
        assertThat(idle.parksNext()).as("polled out").isTrue();
        idle.idle(0);
        idle.idle(1);
        assertThat(idle.pollWindowNs()).as("the work came after the longest poll: polling was wasted").isZero();

        idle.idle(0);
        assertThat(idle.parksNext()).as("no poll: asks to be notified at once").isTrue();
        idle.idle(1);
        assertThat(idle.pollWindowNs()).as("work came at once: a poll would have caught it")
            .isEqualTo(AdaptivePollWindow.GROW_START_NS);
    }

    /** Wait until more than {@code ns} passed (parking: never less, however loaded the machine). */
    private static void outlast(final long ns)
    {
        final long startNs = System.nanoTime();
        while (System.nanoTime() - startNs <= ns)
        {
            LockSupport.parkNanos(ns);
        }
    }
}
