package org.coopvm.hypervisor.usage;

import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainStatus;
import org.coopvm.hypervisor.memory.Physmap;
import org.coopvm.hypervisor.xenstore.XsPaths;
import org.coopvm.rings.mem.Pages;
import org.coopvm.rings.usage.UsageEntryDescriptor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The hypervisor's {@link DomainUsageSource}: current = the domain's populated pages (its
 * reservation), max = its current maximum ({@code maxmem}, or what {@code mem-max} set), min =
 * {@code minmem} (0 when none), target = {@code /local/domain/<N>/memory/target} in xenstore (0 when
 * missing or not a decimal), flags from the lifecycle state, and each domain's balloon stats
 * region.
 *
 * <p>Thread safety: any thread. Domains are listed under the hypervisor lock; xenstore is read
 * after it is released (xenstored takes the hypervisor lock to send events, so never the other
 * way round).
 */
public final class HypervisorUsageSource implements DomainUsageSource
{
    private static final long KIB_PER_PAGE = Pages.PAGE_SIZE / 1024;

    private final Hypervisor hypervisor;

    /**
     * @param hypervisor the hypervisor whose domains to report.
     */
    public HypervisorUsageSource(final Hypervisor hypervisor)
    {
        this.hypervisor = hypervisor;
    }

    @Override
    public List<DomainMemory> domains()
    {
        final List<DomainMemory> rows = hypervisor.locked(this::rowsWithoutTargets);
        final List<DomainMemory> withTargets = new ArrayList<>(rows.size());
        for (final DomainMemory row : rows)
        {
            withTargets.add(new DomainMemory(row.domid(), row.flags(), row.currentKib(), target(row.domid()), row.minKib(),
                row.maxKib(), row.balloonStats()));
        }
        return withTargets;
    }

    private List<DomainMemory> rowsWithoutTargets()
    {
        final List<DomainMemory> rows = new ArrayList<>();
        for (final Domain domain : hypervisor.domains())
        {
            final Physmap physmap = domain.memory().physmap();
            rows.add(new DomainMemory(domain.domid(), flags(domain.status()), physmap.populatedPages() * KIB_PER_PAGE, 0,
                domain.spec().minmemKib(), physmap.maxPages() * KIB_PER_PAGE, domain.balloonStats()));
        }
        return rows;
    }

    private long target(final int domid)
    {
        return hypervisor.xenstored().read(XsPaths.domainPath(domid) + "/memory/target")
            .map(bytes -> parseKib(new String(bytes, StandardCharsets.US_ASCII)))
            .orElse(0L);
    }

    static long parseKib(final String text)
    {
        final String trimmed = text.trim();
        if (trimmed.isEmpty() || trimmed.length() > 18 || !trimmed.chars().allMatch(c -> c >= '0' && c <= '9'))
        {
            return 0;
        }
        return Long.parseLong(trimmed);
    }

    private static int flags(final DomainStatus status)
    {
        return switch (status)
        {
            case PAUSED -> UsageEntryDescriptor.FLAG_PAUSED;
            case SHUTDOWN -> UsageEntryDescriptor.FLAG_SHUTDOWN;
            case DYING -> UsageEntryDescriptor.FLAG_DYING;
            default -> 0;
        };
    }
}
