package org.coopvm.drivers.net;

import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.drivers.InProcessKernels;
import org.coopvm.guest.GuestKernel;
import org.coopvm.guest.KernelConfig;
import org.coopvm.guest.net.NetFrontend;
import org.coopvm.guest.net.NetGuestDriver;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.hypervisor.xenstore.XenstoredAccess;
import org.coopvm.rings.netif.MacAddress;
import org.coopvm.rings.netif.NetifDevice;
import org.coopvm.rings.netif.NetifTxRequestDescriptor;
import org.coopvm.rings.xen.RingFault;
import org.coopvm.rings.xenbus.XenbusDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    private final Hypervisor hypervisor = new Hypervisor(HypervisorConfig.defaults(null));
    private final NetBackend backend = new NetBackend(hypervisor, SystemNanoClock.INSTANCE, VifListener.NONE);
    private final XenstoredAccess toolstack = XenstoredAccess.dom0(hypervisor.xenstored(), () -> { });
    private final List<GuestKernel> kernels = new ArrayList<>();

    HostileNetFrontendTest()
    {
        hypervisor.start();
        backend.start();
    }

    @AfterEach
    void stop()
    {
        kernels.forEach(GuestKernel::close);
        backend.close();
        toolstack.close();
        hypervisor.close();
    }

    @Test
    void malformedTxRequestsAreDroppedOrRefusedCountedByReasonAndTheVifGoesOn()
    {
        final Domain domain = domain("hostile", HOSTILE);
        final RawNetfront front = rawFront(domain);
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
        final Domain honest = domain("honest", HONEST);
        final NetFrontend honestVif = connected(boot(honest, KernelConfig.DEFAULT));
        final Domain hostile = domain("overrun", HOSTILE);
        final RawNetfront front = rawFront(hostile);

        front.overrunProducerIndex();

        final VifCounters counters = backend.counters(hostile.domid(), 0).orElseThrow();
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> counters.get(VifCounters.Value.HOSTILE_DISCONNECTS) == 1);
        assertThat(backend.lastProblem(hostile.domid(), 0).orElseThrow()).contains(RingFault.PRODUCER_INDEX_OVERRUN.name());
        assertThat(backend.isConnected(hostile.domid(), 0)).isFalse();
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> !"4".equals(backendState(hostile)));
        assertThat(backend.isConnected(honest.domid(), 0)).as("the other guest's vif").isTrue();

        backend.detach(hostile.domid());
        NetifDevice.remove(toolstack, hostile.domid(), 0);
        hypervisor.destroyDomain(hostile.domid());
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> backend.attached() == 1);
        assertThat(backend.netSwitch().portOf(HOSTILE)).as("the switch forgot the port").isEqualTo(-1);

        final NetFrontend again = connected(boot(domain("again", HOSTILE), KernelConfig.DEFAULT));
        final int before = (int)honestVif.received();
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[1514]);
        NetSplitDriverTest.build(frame, HONEST, HOSTILE, 1, 100);
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> again.send(frame, 0, 100) == 0);
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> honestVif.received() == before + 1);
    }

    private Domain domain(final String name, final MacAddress mac)
    {
        final Domain domain = hypervisor.createDomain(new DomainSpec(name, 1, 16 * 1024, 16 * 1024, 0, true, "block-idle", Map.of(), 4,
            DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES, DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES));
        NetifDevice.create(toolstack, domain.domid(), 0, mac, Map.of());
        return domain;
    }

    private GuestKernel boot(final Domain domain, final KernelConfig config)
    {
        final GuestKernel kernel = InProcessKernels.boot(hypervisor, domain, config);
        kernels.add(kernel);
        return kernel;
    }

    private RawNetfront rawFront(final Domain domain)
    {
        final GuestKernel kernel = boot(domain, KernelConfig.DEFAULT.withDisabledDrivers(Set.of(NetGuestDriver.NAME)));
        return RawNetfront.start(kernel, NetifDevice.of(domain.domid(), 0).frontendPath());
    }

    private String backendState(final Domain domain)
    {
        return toolstack.read(NetifDevice.of(domain.domid(), 0).backendPath() + "/" + XenbusDevice.STATE).orElse(null);
    }

    private static NetFrontend connected(final GuestKernel kernel)
    {
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> !kernel.context().netDevices().isEmpty() &&
            kernel.context().netDevices().get(0).isConnected());
        return kernel.context().netDevices().get(0);
    }
}
