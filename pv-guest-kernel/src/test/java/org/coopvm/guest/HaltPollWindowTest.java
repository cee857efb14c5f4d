package org.coopvm.guest;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The adaptive window of guest halt polling and of the idle slot keep: a vCPU that is woken again
 * soon holds on to its slot (up to the configured longest), and one that was idle longer than that
 * stops at once, so a vCPU woken rarely burns no CPU spinning and an idle guest holds no slot.
 */
class HaltPollWindowTest
{
    private static final long MAX_NS = 50_000;

    @Test
    void aVcpuWokenSoonKeepsItsWindowAndOneWokenLaterThanTheLongestStopsHoldingOnUntilWakeUpsComeSoonAgain()
    {
        final HaltPollWindow window = new HaltPollWindow(MAX_NS);
        assertThat(window.windowNs()).as("starts at the longest").isEqualTo(MAX_NS);
        window.woke(30_000);
        assertThat(window.windowNs()).as("a wake-up the window caught keeps it").isEqualTo(MAX_NS);

        window.woke(MAX_NS + 1);
        assertThat(window.windowNs()).as("an idle spell the window could not have caught: holding on was wasted").isZero();

        window.woke(30_000);
        assertThat(window.windowNs()).isEqualTo(HaltPollWindow.GROW_START_NS);
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
        final HaltPollWindow window = new HaltPollWindow(0);
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
        final HaltPollWindow window = new HaltPollWindow(maxNs);
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
