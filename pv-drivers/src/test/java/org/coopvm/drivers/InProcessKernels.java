package org.coopvm.drivers;

import org.coopvm.guest.BootRegions;
import org.coopvm.guest.GuestKernel;
import org.coopvm.guest.KernelConfig;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainRegions;
import org.coopvm.rings.channel.MessageChannel;

import java.util.ArrayList;
import java.util.List;

/**
 * Boots in-process guest kernels on a real hypervisor's domains, as the toolstack does for
 * {@code isolation = "in-process"}.
 */
public final class InProcessKernels
{
    private InProcessKernels()
    {
    }

    /**
     * @param hypervisor the hypervisor that created the domain.
     * @param domain     an in-process domain.
     * @return its running kernel (the caller closes it).
     */
    public static GuestKernel boot(final Hypervisor hypervisor, final Domain domain)
    {
        return boot(hypervisor, domain, KernelConfig.DEFAULT);
    }

    /**
     * @param hypervisor the hypervisor that created the domain.
     * @param domain     an in-process domain.
     * @param config     the kernel's configuration (e.g. drivers disabled).
     * @return its running kernel (the caller closes it).
     */
    public static GuestKernel boot(final Hypervisor hypervisor, final Domain domain, final KernelConfig config)
    {
        final DomainRegions regions = domain.regions();
        final List<MessageChannel> responses = new ArrayList<>();
        for (int k = 0; k < domain.nrVcpus(); k++)
        {
            responses.add(regions.response(k));
        }
        return GuestKernel.boot(BootRegions.inProcess(regions.startInfo(), regions.sharedInfo(), regions.hypercall(), responses,
            regions.grantTable(), regions.memory(), hypervisor.hostDoorbellRegion(), regions.xenstore(),
            domid -> hypervisor.domain(domid).map(d -> d.regions().memory()).orElse(null), null)
            .withUsage(hypervisor.usageRegion(), regions.balloonStats()), config);
    }
}
