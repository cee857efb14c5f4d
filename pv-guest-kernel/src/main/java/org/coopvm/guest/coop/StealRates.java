package org.coopvm.guest.coop;

import org.agrona.collections.Int2ObjectHashMap;
import org.coopvm.rings.usage.DomainUsage;
import org.coopvm.rings.usage.UsageSnapshot;

/**
 * How fast each domain's steal time grew between the last two usage pages a policy saw: the
 * growth of its vCPUs' runnable + offline time divided by the time between the two publishes
 * (0.25: its vCPUs together waited for a CPU slot a quarter of the period; a domain with two
 * starving vCPUs can reach 2.0). A domain seen for the first time has no rate yet.
 *
 * <p>Thread safety: the cooperation task's thread.
 */
final class StealRates
{
    private final Int2ObjectHashMap<Long> lastStealNs = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<Double> rates = new Int2ObjectHashMap<>();
    private long lastPublishNs;
    private boolean seen;
    private boolean measured;

    /**
     * Take a new page.
     *
     * @param page the usage page just read.
     * @return whether it was newer than the last one (else nothing changed: the policy ran faster
     *         than dom0 publishes, or the page is stuck).
     */
    boolean update(final UsageSnapshot page)
    {
        final long elapsedNs = page.publishNs() - lastPublishNs;
        if (seen && elapsedNs <= 0)
        {
            return false;
        }
        rates.clear();
        measured = seen;
        for (final DomainUsage domain : page.domains())
        {
            final Long before = lastStealNs.get(domain.domid());
            if (seen && before != null)
            {
                rates.put(domain.domid(), Double.valueOf(Math.max(0, domain.cpu().stealNs() - before) / (double)elapsedNs));
            }
        }
        lastStealNs.clear();
        for (final DomainUsage domain : page.domains())
        {
            lastStealNs.put(domain.domid(), Long.valueOf(domain.cpu().stealNs()));
        }
        lastPublishNs = page.publishNs();
        seen = true;
        return true;
    }

    /** @return whether the last update measured a period (it was not the first page). */
    boolean measured()
    {
        return measured;
    }

    /**
     * @param domid a domain.
     * @return its steal growth over the last period (fraction of the period); -1 when unknown (first seen).
     */
    double of(final int domid)
    {
        final Double rate = rates.get(domid);
        return rate == null ? -1 : rate;
    }
}
