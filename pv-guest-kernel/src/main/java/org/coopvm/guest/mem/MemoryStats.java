package org.coopvm.guest.mem;

/**
 * The guest's memory figures, as the balloon driver reports them (virtio-balloon's stats tags:
 * total 5, free 4, available 6, caches 7, alloc stalls 11).
 *
 * <p>Thread safety: immutable.
 *
 * @param totalBytes       online memory: populated frames the guest owns (ballooned frames are not counted).
 * @param freeBytes        online memory nobody has allocated.
 * @param availableBytes   free plus what the reclaimable caches could give back.
 * @param cacheBytes       what the registered {@link ReclaimableCache}s report as reclaimable.
 * @param allocationStalls allocations that had to shrink caches before they could (try to) succeed.
 * @param outOfMemory      allocations that returned {@link AllocationResult.OutOfMemory}.
 * @param reclaimedBytes   bytes the caches (and swap, by writing pages out) freed when asked to shrink, since boot.
 */
public record MemoryStats(
    long totalBytes,
    long freeBytes,
    long availableBytes,
    long cacheBytes,
    long allocationStalls,
    long outOfMemory,
    long reclaimedBytes)
{
}
