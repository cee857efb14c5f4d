package org.coopvm.examples.workload;

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
 * Boots the guest kernel of an in-process domain the hypervisor created: hands the domain's
 * anonymous regions, the host doorbell and the other domains' memory (for grant maps) over.
 */
final class InProcessGuests
{
    private InProcessGuests()
    {
    }

    static GuestKernel boot(final Hypervisor hypervisor, final Domain domain)
    {
        return boot(hypervisor, domain, KernelConfig.DEFAULT);
    }

    /**
     * @param hypervisor the host.
     * @param domain     a domain it created in-process.
     * @param config     the kernel's settings (a test's clock, for example).
     * @return the booted kernel.
     */
    static GuestKernel boot(final Hypervisor hypervisor, final Domain domain, final KernelConfig config)
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
