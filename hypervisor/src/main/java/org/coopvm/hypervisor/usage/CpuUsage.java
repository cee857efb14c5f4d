package org.coopvm.hypervisor.usage;

import org.agrona.collections.Int2ObjectHashMap;
import org.coopvm.hypervisor.usage.CpuUsageSource.DomainCpuTotals;
import org.coopvm.rings.usage.DomainCpu;

import java.util.List;

/**
 * The usage page's CPU part, publish by publish: from each domain's running totals (CPU time charged,
 * steal) it works out the usage over the time since the previous publish, in permille of one slot,
 * and the host's load, in permille of all slots. A domain seen for the first time counts from 0 (it
 * was created during the period); the first publish has no period and shows 0.
 *
 * <p>Thread safety: the usage publisher's thread only.
 */
final class CpuUsage
{
    private static final long PERMILLE = 1000;

    private final Int2ObjectHashMap<DomainCpu> current = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<DomainCpu> previous = new Int2ObjectHashMap<>();
    private long lastNs;
    private boolean started;

    /**
     * @param totals every domain's totals now.
     * @param slots  the host's slots.
     * @param nowNs  the publish time.
     * @return the host's load over the period, permille of all slots (0..1000).
     */
    int update(final List<DomainCpuTotals> totals, final int slots, final long nowNs)
    {
        final long elapsedNs = started ? nowNs - lastNs : 0;
        previous.clear();
        previous.putAll(current);
        current.clear();
        long usedNs = 0;
        for (final DomainCpuTotals t : totals)
        {
            final DomainCpu before = previous.get(t.domid());
            final long deltaNs = Math.max(0, t.cpuNs() - (before == null ? 0 : before.cpuTimeNs()));
            usedNs += deltaNs;
            current.put(t.domid(), new DomainCpu(t.weight(), t.capPercent(), t.cpuNs(), t.stealNs(),
                permille(deltaNs, elapsedNs, PERMILLE * Math.max(1, t.vcpus())), t.runnableVcpus(), t.creditState()));
        }
        lastNs = nowNs;
        started = true;
        return slots <= 0 ? 0 : permille(usedNs, elapsedNs * slots, PERMILLE);
    }

    /**
     * @param domid a domain.
     * @return its CPU part at the last update; {@link DomainCpu#UNKNOWN} when the scheduler does not know it.
     */
    DomainCpu of(final int domid)
    {
        final DomainCpu cpu = current.get(domid);
        return cpu == null ? DomainCpu.UNKNOWN : cpu;
    }

    /** @return {@code part / whole} in permille, 0 without a whole, at most {@code max} (charges come in ticks, a little late or early). */
    private static int permille(final long part, final long whole, final long max)
    {
        return whole <= 0 ? 0 : (int)Math.min(max, part * PERMILLE / whole);
    }
}
