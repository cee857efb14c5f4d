package org.coopvm.drivers.net;

import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.guest.net.NetFrontend;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.rings.netif.MacAddress;
import org.coopvm.rings.netif.NetifDevice;
import org.coopvm.rings.netif.NetifTxRequestDescriptor;
import org.coopvm.rings.xen.RingFault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.coopvm.drivers.net.RawNetfront.DEADLINE_S;
import static org.coopvm.rings.netif.NetifTxResponseDescriptor.STATUS_DROPPED;
import static org.coopvm.rings.netif.NetifTxResponseDescriptor.STATUS_ERROR;
import static org.coopvm.rings.netif.NetifTxResponseDescriptor.STATUS_OKAY;

/**
 * A netfront that writes whatever it likes into its tx ring: bad grants get an error, frames of
 * size 0, larger than a page or running past their page are dropped, each counted by reason, and
 * the vif keeps forwarding good frames; a producer index that claims more than the ring holds
 * disconnects that vif (reason kept) while another guest's vif goes on; a removed vif's MAC can be
 * attached again by a new guest.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileNetFrontendTest
{
    private static final MacAddress HOSTILE = MacAddress.parse("00:16:3e:00:00:66");
    private static final MacAddress HONEST = MacAddress.parse("00:16:3e:00:00:01");

    private final NetTestHost host = new NetTestHost();
    private final NetBackend backend = host.backend;

    @AfterEach
    void stop()
    {
        host.close();
    }

    @Test
    void malformedTxRequestsAreDroppedOrRefusedCountedByReasonAndTheVifGoesOn()
    {
        final Domain domain = host.domain("hostile", HOSTILE);
        final RawNetfront front = host.rawFront(domain);
        NetSplitDriverTest.build(new UnsafeBuffer(front.data.page(0)), MacAddress.BROADCAST, HOSTILE, 0, 60);
        final int good = front.dataRef;

        assertThat(front.send(99_999, 0, 0, 1, 60)).as("bad gref").isEqualTo(STATUS_ERROR);
        assertThat(front.send(good, 0, 0, 2, 0)).as("size 0").isEqualTo(STATUS_DROPPED);
        assertThat(front.send(good, 0, 0, 3, 5000)).as("larger than a page").isEqualTo(STATUS_DROPPED);
        assertThat(front.send(good, 4000, 0, 4, 200)).as("past the page's end").isEqualTo(STATUS_DROPPED);
        assertThat(front.send(good, 0, NetifTxRequestDescriptor.FLAG_MORE_DATA, 5, 60)).as("scatter-gather not negotiated")
            .isEqualTo(STATUS_DROPPED);
        assertThat(front.send(good, 0, 0, 6, 60)).as("a good frame after all that").isEqualTo(STATUS_OKAY);

        final VifCounters counters = backend.counters(domain.domid(), 0).orElseThrow();
        assertThat(counters.get(VifCounters.Value.BAD_GRANTS)).isEqualTo(1);
        assertThat(counters.get(VifCounters.Value.DROPPED_BAD_SIZE)).isEqualTo(2);
        assertThat(counters.get(VifCounters.Value.DROPPED_BAD_OFFSET)).isEqualTo(1);
        assertThat(counters.get(VifCounters.Value.DROPPED_BAD_FLAGS)).isEqualTo(1);
        assertThat(counters.get(VifCounters.Value.TX_FRAMES)).isEqualTo(1);
        assertThat(backend.isConnected(domain.domid(), 0)).as("still connected").isTrue();
        assertThat(backend.agentErrors()).isZero();
    }

    @Test
    void aProducerIndexBeyondTheRingDisconnectsThatVifOnlyAndItsMacCanBeAttachedAgain()
    {
        final Domain honest = host.domain("honest", HONEST);
        final NetFrontend honestVif = host.connectedFrontend(honest);
        final Domain hostile = host.domain("overrun", HOSTILE);
        final RawNetfront front = host.rawFront(hostile);

        front.overrunProducerIndex();

        final VifCounters counters = backend.counters(hostile.domid(), 0).orElseThrow();
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> counters.get(VifCounters.Value.HOSTILE_DISCONNECTS) == 1);
        assertThat(backend.lastProblem(hostile.domid(), 0).orElseThrow()).contains(RingFault.PRODUCER_INDEX_OVERRUN.name());
        assertThat(backend.isConnected(hostile.domid(), 0)).isFalse();
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> !"4".equals(host.backendState(hostile)));
        assertThat(backend.isConnected(honest.domid(), 0)).as("the other guest's vif").isTrue();

        backend.detach(hostile.domid());
        NetifDevice.remove(host.toolstack, hostile.domid(), 0);
        host.hypervisor.destroyDomain(hostile.domid());
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> backend.attached() == 1);
        assertThat(backend.netSwitch().portOf(HOSTILE)).as("the switch forgot the port").isEqualTo(-1);

        final NetFrontend again = host.connectedFrontend(host.domain("again", HOSTILE));
        final int before = (int)honestVif.received();
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[1514]);
        NetSplitDriverTest.build(frame, HONEST, HOSTILE, 1, 100);
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> again.send(frame, 0, 100) == 0);
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> honestVif.received() == before + 1);
    }

    @Test
    void anRxProducerIndexBeyondTheRingDisconnectsThatVifWhenAFrameComesForItAndTheSenderGoesOn()
    {
        final Domain honest = host.domain("honest", HONEST);
        final NetFrontend honestVif = host.connectedFrontend(honest);
        final Domain hostile = host.domain("overrun-rx", HOSTILE);
        final RawNetfront front = host.rawFront(hostile);
        front.overrunRxProducerIndex();
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[1514]);
        NetSplitDriverTest.build(frame, MacAddress.BROADCAST, HONEST, 1, 100);

        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> honestVif.send(frame, 0, 100) == 0);

        final VifCounters counters = backend.counters(hostile.domid(), 0).orElseThrow();
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> counters.get(VifCounters.Value.HOSTILE_DISCONNECTS) == 1);
        assertThat(backend.lastProblem(hostile.domid(), 0).orElseThrow()).contains("rx", RingFault.PRODUCER_INDEX_OVERRUN.name());
        assertThat(counters.get(VifCounters.Value.RX_FRAMES)).as("nothing written into the hostile guest's pages").isZero();
        final VifCounters sender = backend.counters(honest.domid(), 0).orElseThrow();
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> honestVif.send(frame, 0, 100) == 0);
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> sender.get(VifCounters.Value.TX_FRAMES) == 2);
        assertThat(backend.isConnected(honest.domid(), 0)).as("the sender's vif").isTrue();
        assertThat(sender.get(VifCounters.Value.AGENT_ERRORS) + counters.get(VifCounters.Value.AGENT_ERRORS)).isZero();
    }
}
