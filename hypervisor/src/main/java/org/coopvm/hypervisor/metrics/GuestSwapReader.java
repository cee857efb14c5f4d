package org.coopvm.hypervisor.metrics;

import org.coopvm.hypervisor.usage.UsagePublisher;
import org.coopvm.rings.balloon.BalloonStatsRead;
import org.coopvm.rings.balloon.StatTag;

/**
 * One of a domain's swap counters (virtio-balloon's swap-in, swap-out or major-fault tag) for a
 * function counter: what the guest last claimed in stats dom0 accepted (the usage publisher's last
 * read). It never goes down: while the stats are stale, invalid or gone it keeps the last value.
 * These are the guest's claims, shown as such; nothing the host enforces depends on them.
 *
 * <p>Thread safety: read by the scrape thread; {@link #read} is synchronized.
 */
final class GuestSwapReader
{
    private final UsagePublisher usage;
    private final int domid;
    private final StatTag tag;
    private long last;

    GuestSwapReader(final UsagePublisher usage, final int domid, final StatTag tag)
    {
        this.usage = usage;
        this.domid = domid;
        this.tag = tag;
    }

    synchronized double read()
    {
        usage.stats(domid).flatMap(BalloonStatsRead::accepted).filter(stats -> stats.isValid(tag))
            .ifPresent(stats -> last = Math.max(last, stats.value(tag)));
        return last;
    }
}
