package org.coopvm.guest.coop;

import org.coopvm.rings.balloon.StatsFreshness;
import org.coopvm.rings.usage.CpuPriority;
import org.coopvm.rings.usage.DomainCpu;
import org.coopvm.rings.usage.DomainUsage;
import org.coopvm.rings.usage.HostUsage;
import org.coopvm.rings.usage.UsageSnapshot;

import java.util.List;

/** Usage pages for the CPU policies' tests: one slot, publishes a second apart, only the CPU fields filled. */
final class CpuUsagePages
{
    static final long SECOND_NS = 1_000_000_000L;
    static final long MS = 1_000_000L;

    private CpuUsagePages()
    {
    }

    /**
     * @param second  when it was published, in seconds.
     * @param domains its entries.
     * @return the page.
     */
    static UsageSnapshot page(final int second, final DomainUsage... domains)
    {
        return new UsageSnapshot(2 * second + 2, second * SECOND_NS, 1000, 0, new HostUsage(0, 0, 1, 900), List.of(domains));
    }

    /**
     * @param domid         the domain.
     * @param stealMs       its steal since creation, ms.
     * @param runnableVcpus vCPUs waiting for a slot now.
     * @param usagePermille CPU it used over the period.
     * @param flags         {@code UsageEntryDescriptor.FLAG_*}.
     * @return its entry.
     */
    static DomainUsage domain(final int domid, final long stealMs, final int runnableVcpus, final int usagePermille, final int flags)
    {
        return new DomainUsage(domid, flags, 16384, 16384, 0, 16384, 0, 0, -1, StatsFreshness.NONE,
            new DomainCpu(256, 0, 0, stealMs * MS, usagePermille, runnableVcpus,
                DomainCpu.creditState(CpuPriority.UNDER, CpuPriority.OVER, false)));
    }

    /** @return a busy domain (one runnable vCPU, using 40% of a CPU) whose steal since creation is {@code stealMs}. */
    static DomainUsage busy(final int domid, final long stealMs)
    {
        return domain(domid, stealMs, 1, 400, 0);
    }
}
