package org.coopvm.rings.doorbell;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The adaptive window of guest halt polling, the idle slot keep and ring agents' polling: a waiter
 * that is woken again soon holds on (up to the configured longest), and one that was idle longer
 * than that stops at once, so a waiter woken rarely burns no CPU spinning and an idle guest holds
 * no slot.
 */
class AdaptivePollWindowTest
{
    private static final long MAX_NS = 50_000;

    @Test
    void aVcpuWokenSoonKeepsItsWindowAndOneWokenLaterThanTheLongestStopsHoldingOnUntilWakeUpsComeSoonAgain()
    {
        final AdaptivePollWindow window = new AdaptivePollWindow(MAX_NS);
        assertThat(window.windowNs()).as("starts at the longest").isEqualTo(MAX_NS);
        window.woke(30_000);
        assertThat(window.windowNs()).as("a wake-up the window caught keeps it").isEqualTo(MAX_NS);

        window.woke(MAX_NS + 1);
        assertThat(window.windowNs()).as("an idle spell the window could not have caught: holding on was wasted").isZero();

        window.woke(30_000);
        assertThat(window.windowNs()).isEqualTo(AdaptivePollWindow.GROW_START_NS);
        window.woke(30_000);
        window.woke(30_000);
        assertThat(window.windowNs()).as("doubled until it covers the wake-ups").isEqualTo(40_000);
        window.woke(30_000);
        assertThat(window.windowNs()).isEqualTo(40_000);
        window.woke(45_000);
        assertThat(window.windowNs()).as("never beyond the longest").isEqualTo(MAX_NS);
    }

    @Test
    void aLongestPollOfZeroNeverPolls()
    {
        final AdaptivePollWindow window = new AdaptivePollWindow(0);
        window.woke(0);
        window.woke(1);
        window.woke(5_000);
        assertThat(window.windowNs()).isZero();
    }

    @Property(tries = 300)
    void theWindowStaysWithinTheLongestPollAndIsZeroAfterEveryLongIdleSpell(
        @ForAll @Size(max = 40) final List<@LongRange(min = 0, max = 200_000) Long> idleSpellsNs,
        @ForAll @LongRange(min = 0, max = 100_000) final long maxNs)
    {
        final AdaptivePollWindow window = new AdaptivePollWindow(maxNs);
        for (final long idleNs : idleSpellsNs)
        {
            final long before = window.windowNs();
            window.woke(idleNs);
            assertThat(window.windowNs()).isBetween(0L, maxNs);
            if (idleNs > maxNs)
            {
                assertThat(window.windowNs()).as("an idle guest does not spin on its next wake-up").isZero();
            }
            else if (idleNs <= before)
            {
                assertThat(window.windowNs()).isEqualTo(before);
            }
            else
            {
                assertThat(window.windowNs()).as("a wake-up a longer poll would have caught grows the window").isGreaterThan(before);
            }
        }
    }
}
