package org.coopvm.examples.workload;

import org.coopvm.guest.BootRegions;
import org.coopvm.guest.GuestKernel;
import org.coopvm.guest.KernelConfig;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.domain.Domain;


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
        return GuestKernel.boot(BootRegions.inProcess(hypervisor.inProcessRegions(domain.domid()), null), config);
    }

}
