package org.coopvm.cli.toolstack;

import org.coopvm.balloon.guest.KibValue;
import org.coopvm.balloon.host.DomainNodes;
import org.coopvm.balloon.host.HostBalloon;
import org.coopvm.balloon.policy.PolicyConfigException;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.api.BalloonDecisionInfo;
import org.coopvm.hypervisor.api.BalloonPolicyInfo;
import org.coopvm.hypervisor.api.BalloonState;
import org.coopvm.hypervisor.api.ConvergenceReport;
import org.coopvm.hypervisor.api.Errno;
import org.coopvm.hypervisor.api.HostControlException;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.rings.xenbus.XenstoreAccess;

import java.util.List;

/**
 * The toolstack's memory operations, as libxl's: {@code mem-set} writes {@code memory/target}
 * (refused above {@code memory/static-max}, as xl refuses it), {@code mem-max} sets the domain's
 * max pages and {@code memory/static-max} (refused below the target, as xl refuses it, and beyond
 * the domain's memory region: CoopVM cannot add memory to a running domain), and the balloon
 * policy and reports of the {@link HostBalloon}. Every refusal changes nothing.
 *
 * <p>Thread safety: any thread (API handlers); each operation is a few xenstore calls and one
 * hypervisor call, none under a toolstack lock.
 */
final class BalloonControl
{
    private static final long KIB_PER_PAGE = 4;

    private final Hypervisor hypervisor;
    private final XenstoreAccess xenstore;
    private final HostBalloon balloon;

    BalloonControl(final Hypervisor hypervisor, final XenstoreAccess xenstore, final HostBalloon balloon)
    {
        this.hypervisor = hypervisor;
        this.xenstore = xenstore;
        this.balloon = balloon;
    }

    void memSet(final Domain domain, final long targetKib)
    {
        final String name = domain.name();
        if (targetKib < 0)
        {
            throw new HostControlException(Errno.EINVAL, "invalid memory target " + targetKib + " KiB for " + name +
                ": it cannot be negative");
        }
        final long staticMax = staticMaxKib(domain);
        if (targetKib > staticMax)
        {
            throw new HostControlException(Errno.EINVAL, "cannot set the memory target of " + name + " to " + targetKib +
                " KiB: above its maximum memory (memory/static-max) " + staticMax + " KiB; raise that first with coop mem-max");
        }
        write(domain, DomainNodes.TARGET, targetKib);
    }

    void memMax(final Domain domain, final long maxKib)
    {
        final String name = domain.name();
        final long regionKib = domain.memory().physmap().capacityPages() * KIB_PER_PAGE;
        if (maxKib < 0 || maxKib > regionKib)
        {
            throw new HostControlException(Errno.EINVAL, "cannot set the maximum memory of " + name + " to " + maxKib +
                " KiB: it must be 0.." + regionKib + " KiB (its memory region, the maxmem it was created with; " +
                "CoopVM cannot add memory to a running domain)");
        }
        final long targetKib = targetKib(domain);
        if (maxKib < targetKib)
        {
            throw new HostControlException(Errno.EINVAL, "cannot set the maximum memory of " + name + " to " + maxKib +
                " KiB: below its memory target " + targetKib + " KiB; lower the target first with coop mem-set");
        }
        if (!hypervisor.maxPages(domain.domid(), maxKib / KIB_PER_PAGE))
        {
            throw new HostControlException(Errno.ENOENT, "no domain " + name);
        }
        write(domain, DomainNodes.STATIC_MAX, maxKib / KIB_PER_PAGE * KIB_PER_PAGE);
    }

    BalloonPolicyInfo policy()
    {
        return balloon.policyInfo();
    }

    BalloonPolicyInfo setPolicy(final String name, final List<String> arguments)
    {
        try
        {
            return balloon.setPolicy(name, arguments);
        }
        catch (final PolicyConfigException ex)
        {
            throw new HostControlException(Errno.EINVAL, ex.getMessage(), ex);
        }
    }

    /** @param domid a domain, or -1 for all. */
    List<BalloonDecisionInfo> decisions(final int domid)
    {
        return balloon.decisions(domid);
    }

    /** @param domid a domain, or -1 for all. */
    List<ConvergenceReport> reports(final int domid)
    {
        return domid < 0 ? balloon.tracker().reports() : balloon.tracker().reports(domid);
    }

    /** @return the domain's balloon state; before any change of its target: its configured memory, nothing tracked. */
    BalloonState state(final Domain domain)
    {
        final BalloonState state = balloon.tracker().state(domain.domid());
        return state != null ? state : new BalloonState(domain.spec().memoryKib(), false, -1, null);
    }

    /** @return the host's balloon. */
    HostBalloon hostBalloon()
    {
        return balloon;
    }

    void close()
    {
        balloon.close();
    }

    /** The target xenstore holds; when that is not a KiB count, the one the domain follows. */
    private long targetKib(final Domain domain)
    {
        final KibValue written = KibValue.parse(DomainNodes.read(xenstore, domain.domid(), DomainNodes.TARGET).orElse(null));
        return written.isValid() ? written.kib() : state(domain).targetKib();
    }

    private long staticMaxKib(final Domain domain)
    {
        final KibValue written = KibValue.parse(DomainNodes.read(xenstore, domain.domid(), DomainNodes.STATIC_MAX).orElse(null));
        return written.isValid() ? written.kib() : domain.memory().physmap().maxPages() * KIB_PER_PAGE;
    }

    private void write(final Domain domain, final String node, final long kib)
    {
        if (!DomainNodes.writeIfPresent(xenstore, domain.domid(), node, Long.toString(kib)))
        {
            throw new HostControlException(Errno.ENOENT, "no domain " + domain.name());
        }
    }
}
