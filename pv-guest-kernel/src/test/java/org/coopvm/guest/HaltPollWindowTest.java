package org.coopvm.guest;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The adaptive guest halt-polling window: a vCPU that is woken again soon polls (up to the
 * configured longest poll), and one that was idle longer than that stops polling at once, so a
 * stream whose wake-ups are far apart, and an idle guest, burn no CPU spinning.
 */
class HaltPollWindowTest
{
    private static final long MAX_NS = 50_000;

    @Test
    void aFreshVcpuDoesNotPollUntilAWakeUpCameSoonEnoughForAPollToCatchIt()
    {
        final HaltPollWindow window = new HaltPollWindow(MAX_NS);
        assertThat(window.windowNs()).isZero();

        window.woke(30_000);
        assertThat(window.windowNs()).isEqualTo(HaltPollWindow.GROW_START_NS);
        window.woke(30_000);
        window.woke(30_000);
        assertThat(window.windowNs()).as("doubled until it covers the wake-ups").isEqualTo(40_000);
        window.woke(30_000);
        assertThat(window.windowNs()).as("a poll that caught the work keeps its window").isEqualTo(40_000);
        window.woke(45_000);
        assertThat(window.windowNs()).as("never beyond the longest poll").isEqualTo(MAX_NS);
    }

    @Test
    void aWakeUpLaterThanTheLongestPollStopsPollingAtOnce()
    {
        final HaltPollWindow window = new HaltPollWindow(MAX_NS);
        for (int i = 0; i < 4; i++)
        {
            window.woke(45_000);
        }
        assertThat(window.windowNs()).isEqualTo(MAX_NS);

        window.woke(MAX_NS + 1);

        assertThat(window.windowNs()).as("an idle spell the poll could not have caught: polling was wasted").isZero();
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
