package org.coopvm.guest.stats;

import org.coopvm.guest.mem.PageAllocator;
import org.coopvm.rings.balloon.BalloonStatsSample;
import org.coopvm.rings.balloon.StatTag;
import org.coopvm.rings.mem.Pages;

/**
 * The first {@link StatsSource}, from what the kernel knows today: total = the frames the page
 * allocator manages, free = its free frames, available = free (no reclaimable caches yet),
 * caches = 0, working set = the frames in use, no floor declared. Faults, swap and stalls are not
 * known, so their tags stay invalid.
 *
 * <p>Thread safety: any thread (the allocator is synchronized).
 */
public final class PageAllocatorStatsSource implements StatsSource
{
    private final PageAllocator pages;

    /**
     * @param pages the kernel's page allocator.
     */
    public PageAllocatorStatsSource(final PageAllocator pages)
    {
        this.pages = pages;
    }

    @Override
    public void sample(final BalloonStatsSample into)
    {
        final long totalBytes = (long)pages.frames() * Pages.PAGE_SIZE;
        final long freeBytes = (long)pages.freeFrames() * Pages.PAGE_SIZE;
        into.set(StatTag.TOTAL, totalBytes)
            .set(StatTag.FREE, freeBytes)
            .set(StatTag.AVAILABLE, freeBytes)
            .set(StatTag.CACHES, 0)
            .workingSetKib((totalBytes - freeBytes) / 1024);
    }
}
