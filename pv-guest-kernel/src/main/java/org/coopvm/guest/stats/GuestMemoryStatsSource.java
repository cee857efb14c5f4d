package org.coopvm.guest.stats;

import org.coopvm.guest.mem.GuestMemory;
import org.coopvm.guest.mem.MemoryStats;
import org.coopvm.guest.mem.SwapSpace;
import org.coopvm.rings.balloon.BalloonStatsSample;
import org.coopvm.rings.balloon.StatTag;
import org.coopvm.rings.mem.Pages;

/**
 * The kernel's {@link StatsSource}: the buddy allocator's figures. Total = online frames, which is
 * the reservation the guest holds (the hypervisor's populated pages: frames are populated before
 * they go online and go offline before they are given back; ballooned frames are not counted),
 * free, available = free + reclaimable caches, caches, allocation stalls; the floor is the one the
 * balloon driver enforces ({@link GuestMemory#reservationFloorPages()}: the higher of the host's
 * {@code minmem} and the guest's declared need; 0 without a balloon driver); the working set
 * estimate is what is in use and not reclaimable (total - free - caches); the cooperative request
 * is what the guest's {@link MemoryRequest} still misses of its goal; swap in and out (bytes)
 * and major faults come from the guest's {@link org.coopvm.guest.mem.SwapSpace} (0 without swap,
 * as a Linux guest without a swap device reports).
 *
 * <p>Thread safety: any thread (the allocator takes its own lock).
 */
public final class GuestMemoryStatsSource implements StatsSource
{
    private final GuestMemory memory;
    private final MemoryRequest request;

    /**
     * @param memory  the kernel's memory.
     * @param request the cooperative request the guest's cooperation policy sets.
     */
    public GuestMemoryStatsSource(final GuestMemory memory, final MemoryRequest request)
    {
        this.memory = memory;
        this.request = request;
    }

    @Override
    public void sample(final BalloonStatsSample into)
    {
        final MemoryStats stats = memory.stats();
        final SwapSpace swap = memory.swap();
        into.set(StatTag.SWAP_IN, swap.swapInPages() * Pages.PAGE_SIZE)
            .set(StatTag.SWAP_OUT, swap.swapOutPages() * Pages.PAGE_SIZE)
            .set(StatTag.MAJOR_FAULTS, swap.majorFaults())
            .set(StatTag.TOTAL, stats.totalBytes())
            .set(StatTag.FREE, stats.freeBytes())
            .set(StatTag.AVAILABLE, stats.availableBytes())
            .set(StatTag.CACHES, stats.cacheBytes())
            .set(StatTag.ALLOC_STALLS, stats.allocationStalls())
            .floorKib(memory.reservationFloorPages() * (Pages.PAGE_SIZE / 1024))
            .workingSetKib(Math.max(0, stats.totalBytes() - stats.freeBytes() - stats.cacheBytes()) / 1024)
            .requestKib(request.publishKib(stats.totalBytes() / 1024));
    }
}
