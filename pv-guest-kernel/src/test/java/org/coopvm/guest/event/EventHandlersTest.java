package org.coopvm.guest.event;

import org.coopvm.rings.domain.EventChannelBits;
import org.coopvm.rings.domain.SharedInfoDescriptor;
import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A handler that throws is counted and reported, and the other pending ports are still delivered on the same vCPU. */
class EventHandlersTest
{
    private final SharedRegion region = SharedRegion.createAnonymous(RegionType.SHARED_INFO, 1, SharedInfoDescriptor.PAYLOAD_LENGTH);
    private final EventChannelBits host = new EventChannelBits().wrap(region.payload());
    private final List<String> failures = new ArrayList<>();
    private final List<Integer> delivered = new ArrayList<>();
    private final EventHandlers handlers = new EventHandlers(new EventChannelBits().wrap(region.payload()),
        (port, failure) -> failures.add(port + ": " + failure.getMessage()));

    @AfterEach
    void close()
    {
        region.close();
    }

    @Test
    void aThrowingHandlerIsReportedAndTheNextPendingPortIsStillDelivered()
    {
        handlers.register(3, port ->
        {
            throw new IllegalStateException("driver bug");
        });
        handlers.register(7, delivered::add);
        host.unmask(3, 0);
        host.unmask(7, 0);
        host.setPending(3, 0);
        host.setPending(7, 0);

        final int dispatched = handlers.dispatch(0);

        assertThat(dispatched).isEqualTo(2);
        assertThat(delivered).containsExactly(7);
        assertThat(failures).containsExactly("3: driver bug");
        assertThat(handlers.failed()).isOne();
        assertThat(handlers.delivered()).isEqualTo(2);
        assertThat(handlers.isUpcallPending(0)).isFalse();
    }
}
