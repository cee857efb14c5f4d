package org.coopvm.hypervisor.domain;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * dom0's event fan-out: what a backend would notice if it broke. Each port's handler gets exactly
 * its port's events; other ports go to the fallback (the console backend); unregistering hands a
 * port back to the fallback; a handler that throws is counted and stops there, so the sender's
 * hypercall (which would be blamed for it) and the other ports are untouched.
 */
class Dom0EventFanoutTest
{
    private final Dom0EventFanout fanout = new Dom0EventFanout();
    private final List<String> seen = new ArrayList<>();

    @Test
    void eachRegisteredPortsHandlerGetsItsOwnEventsAndTheRestGoToTheFallback()
    {
        fanout.register(3, port -> seen.add("xenstore:" + port));
        fanout.register(7, port -> seen.add("blkback:" + port));
        fanout.fallback(port -> seen.add("console:" + port));

        fanout.onEvent(7);
        fanout.onEvent(3);
        fanout.onEvent(5);
        fanout.onEvent(7);

        assertThat(seen).containsExactly("blkback:7", "xenstore:3", "console:5", "blkback:7");
    }

    @Test
    void unregisteringAPortSendsItsEventsBackToTheFallbackOnly()
    {
        fanout.register(3, port -> seen.add("xenstore:" + port));
        fanout.fallback(port -> seen.add("console:" + port));

        fanout.unregister(3);
        fanout.onEvent(3);

        assertThat(seen).containsExactly("console:3");
    }

    @Test
    void aLaterRegistrationReplacesThePortsHandler()
    {
        fanout.register(3, port -> seen.add("old:" + port));
        fanout.register(3, port -> seen.add("new:" + port));

        fanout.onEvent(3);

        assertThat(seen).containsExactly("new:3");
    }

    @Test
    void withoutAFallbackOrAfterClearingItUnclaimedEventsAreDropped()
    {
        fanout.onEvent(9);
        fanout.fallback(port -> seen.add("console:" + port));
        fanout.fallback(null);
        fanout.onEvent(9);

        assertThat(seen).isEmpty();
    }

    @Test
    void aThrowingHandlerIsCountedAndNeitherTheSenderNorOtherPortsSeeIt()
    {
        fanout.register(3, port ->
        {
            throw new IllegalStateException("backend bug");
        });
        fanout.register(7, port -> seen.add("blkback:" + port));
        fanout.fallback(port -> seen.add("console:" + port));

        fanout.onEvent(3);
        fanout.onEvent(7);
        fanout.onEvent(3);
        fanout.onEvent(5);

        assertThat(seen).containsExactly("blkback:7", "console:5");
        assertThat(fanout.failures()).isEqualTo(2);
    }
}
