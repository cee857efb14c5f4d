package org.coopvm.guest.stats;

import org.coopvm.guest.mem.GuestMemory;
import org.coopvm.guest.mem.MemoryStats;
import org.coopvm.rings.balloon.BalloonStatsSample;
import org.coopvm.rings.balloon.StatTag;
import org.coopvm.rings.mem.Pages;

/**
 * The kernel's {@link StatsSource}: the buddy allocator's figures. Total = online frames (the
 * reservation the guest holds; ballooned frames are not counted), free, available = free +
 * reclaimable caches, caches, allocation stalls; the floor is what the guest declared
 * ({@link GuestMemory#floorPages()}); the working set estimate is what is in use and not
 * reclaimable (total - free - caches). Faults and swap stay invalid until guest swap exists.
 *
 * <p>Thread safety: any thread (the allocator takes its own lock).
 */
public final class GuestMemoryStatsSource implements StatsSource
{
    private final GuestMemory memory;

    /**
     * @param memory the kernel's memory.
     */
    public GuestMemoryStatsSource(final GuestMemory memory)
    {
        this.memory = memory;
    }

    @Override
    public void sample(final BalloonStatsSample into)
    {
        final MemoryStats stats = memory.stats();
        into.set(StatTag.TOTAL, stats.totalBytes())
            .set(StatTag.FREE, stats.freeBytes())
            .set(StatTag.AVAILABLE, stats.availableBytes())
            .set(StatTag.CACHES, stats.cacheBytes())
            .set(StatTag.ALLOC_STALLS, stats.allocationStalls())
            .floorKib(memory.floorPages() * (Pages.PAGE_SIZE / 1024))
            .workingSetKib(Math.max(0, stats.totalBytes() - stats.freeBytes() - stats.cacheBytes()) / 1024);
    }
}
