package org.coopvm.drivers;

import org.coopvm.guest.BootRegions;
import org.coopvm.guest.GuestKernel;
import org.coopvm.guest.KernelConfig;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.domain.Domain;


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
        return GuestKernel.boot(BootRegions.inProcess(hypervisor.inProcessRegions(domain.domid()), null), config);
    }
}
