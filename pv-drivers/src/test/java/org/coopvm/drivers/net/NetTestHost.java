package org.coopvm.drivers.net;

import org.agrona.concurrent.SystemNanoClock;
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
import org.coopvm.rings.xenbus.XenbusDevice;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.coopvm.drivers.net.RawNetfront.DEADLINE_S;

/**
 * A started hypervisor with dom0's net backend, and in-process guests with a vif each: booted
 * with the real netfront, or with a {@link RawNetfront} the test drives by hand. Closing it stops
 * every guest, the backend and the hypervisor.
 */
final class NetTestHost implements AutoCloseable
{
    final Hypervisor hypervisor = new Hypervisor(HypervisorConfig.defaults(null));
    final NetBackend backend = new NetBackend(hypervisor, SystemNanoClock.INSTANCE, VifListener.NONE);
    final XenstoredAccess toolstack = XenstoredAccess.dom0(hypervisor.xenstored(), () -> { });
    private final List<GuestKernel> kernels = new ArrayList<>();

    NetTestHost()
    {
        hypervisor.start();
        backend.start();
    }

    /** @return a domain (1 vCPU, 16 MiB) with vif 0 of that MAC. */
    Domain domain(final String name, final MacAddress mac)
    {
        return domain(name, mac, Map.of());
    }

    /** @return a domain (1 vCPU, 16 MiB) with vif 0 of that MAC and those extra backend keys (rate limits). */
    Domain domain(final String name, final MacAddress mac, final Map<String, String> backendKeys)
    {
        final Domain domain = hypervisor.createDomain(new DomainSpec(name, 1, 16 * 1024, 16 * 1024, 0, true, "block-idle", Map.of(), 4,
            DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES, DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES));
        NetifDevice.create(toolstack, domain.domid(), 0, mac, backendKeys);
        return domain;
    }

    GuestKernel boot(final Domain domain, final KernelConfig config)
    {
        final GuestKernel kernel = InProcessKernels.boot(hypervisor, domain, config);
        kernels.add(kernel);
        return kernel;
    }

    /** @return the domain's vif 0 through the real netfront, once connected. */
    NetFrontend connectedFrontend(final Domain domain)
    {
        return connectedFrontend(boot(domain, KernelConfig.DEFAULT));
    }

    /** @return the kernel's vif 0 through the real netfront, once connected. */
    static NetFrontend connectedFrontend(final GuestKernel kernel)
    {
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> !kernel.context().netDevices().isEmpty() &&
            kernel.context().netDevices().get(0).isConnected());
        return kernel.context().netDevices().get(0);
    }

    /** @return the domain's vif 0 through a hand-made netfront, once connected. */
    RawNetfront rawFront(final Domain domain)
    {
        final GuestKernel kernel = boot(domain, KernelConfig.DEFAULT.withDisabledDrivers(Set.of(NetGuestDriver.NAME)));
        return RawNetfront.start(kernel, NetifDevice.of(domain.domid(), 0).frontendPath());
    }

    /** @return the vif's xenbus state as the backend published it. */
    String backendState(final Domain domain)
    {
        return toolstack.read(NetifDevice.of(domain.domid(), 0).backendPath() + "/" + XenbusDevice.STATE).orElse(null);
    }

    @Override
    public void close()
    {
        kernels.forEach(GuestKernel::close);
        backend.close();
        toolstack.close();
        hypervisor.close();
    }
}
