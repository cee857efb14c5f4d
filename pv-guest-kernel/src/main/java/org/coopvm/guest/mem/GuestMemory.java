package org.coopvm.guest.mem;

import org.agrona.concurrent.AtomicBuffer;
import org.coopvm.rings.mem.Pages;

import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * The guest's memory: a buddy allocator over the frames of the domain's memory region (frame
 * {@code f} is payload bytes {@code f * 4096 .. f * 4096 + 4095}), the API workloads allocate
 * through, the reclaimable caches they register, and the offline/online operations the balloon
 * driver uses.
 *
 * <p>Every frame is <em>online</em> (populated and owned by the allocator: free or allocated) or
 * <em>offline</em> (not populated, or given back to the hypervisor by the balloon). At boot
 * frames {@code [0, onlineFrames)} are online and {@code [onlineFrames, maxFrames)} offline, as
 * the domain's memory file is sized to maxmem but populated up to {@code memory}. Offline frames
 * are never allocated, zeroed or otherwise touched: the hypervisor may have punched them out.
 *
 * <p>Allocations are zeroed before they are returned (as Linux's {@code __GFP_ZERO}, and as the
 * first allocator did): a workload never sees another workload's data, and the cost, one pass
 * over the pages outside the lock, is what touching the memory costs anyway.
 *
 * <p>Under pressure an allocation first asks the registered {@link ReclaimableCache}s to shrink
 * by what is missing (an <em>allocation stall</em>), then tries once more and otherwise returns
 * {@link AllocationResult.OutOfMemory}. It does not shrink caches for a request that free plus
 * reclaimable memory could not satisfy anyway, so a hopeless request does not empty every cache.
 * Both a stall and an out-of-memory are reported to the {@link MemoryPressureListener}s (the
 * balloon driver's deflate under pressure).
 *
 * <p>Swappable pages ({@link #allocateSwappable}, {@link SwapSpace}) are reclaimed the same way,
 * after the caches: once a swap device is enabled they are written out and their frames freed.
 * They are not in the "cache" or "available" figures (Linux's {@code MemAvailable} leaves anonymous
 * memory out too), but the balloon may take them ({@link #balloonablePages}), at the price of swap
 * traffic.
 *
 * <p>Thread safety: every method may be called from any thread (workloads on several vCPUs,
 * the balloon driver, a stats reader). The free lists are guarded by one lock, held only for
 * list operations ({@code O(log n)} per block); zeroing and cache shrinking happen outside it,
 * so a cache may free its allocations inside {@link ReclaimableCache#shrink} and may hold its
 * own lock while it allocates. Methods that consult the caches (allocations under pressure,
 * {@link #stats}, {@link #balloonablePages}, {@link #offline}) call them on the calling thread.
 * The balloon operations assume one balloon driver: frames {@link #offlineFrames} reports stay
 * offline only until some caller brings them online.
 */
public final class GuestMemory
{
    private final AtomicBuffer memory;
    private final BuddyAllocator buddy;
    private final Object lock = new Object();
    private final CopyOnWriteArrayList<ReclaimableCache> caches = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<MemoryPressureListener> pressureListeners = new CopyOnWriteArrayList<>();
    private final LongAdder allocationStalls = new LongAdder();
    private final LongAdder outOfMemory = new LongAdder();
    private final LongAdder reclaimedBytes = new LongAdder();
    private final SwapSpace swap;
    private volatile long floorPages;
    private volatile long reservationFloorPages;

    /**
     * @param memory       the memory region's payload (frame 0 at offset 0).
     * @param maxFrames    frames the guest may ever own (maxmem); at most {@code memory.capacity() / 4096}.
     * @param onlineFrames frames populated at boot, from frame 0.
     * @throws IllegalArgumentException when the frames do not fit or {@code onlineFrames > maxFrames}.
     */
    public GuestMemory(final AtomicBuffer memory, final int maxFrames, final int onlineFrames)
    {
        if (maxFrames < 0 || (long)maxFrames * Pages.PAGE_SIZE > memory.capacity())
        {
            throw new IllegalArgumentException(maxFrames + " frames do not fit in " + memory.capacity() + " bytes");
        }
        this.memory = memory;
        this.buddy = new BuddyAllocator(maxFrames, onlineFrames);
        this.swap = new SwapSpace(this);
        caches.add(swap);
    }

    /**
     * Allocate pages the kernel may swap out when memory is short (once a swap device is
     * {@linkplain SwapSpace#enable enabled}; until then, and without one, they stay resident):
     * each page is allocated, zeroed, now; reads and writes go through the handle, which brings a
     * swapped-out page back in first (a major fault). Any thread, as {@link #allocatePages}.
     *
     * @param pages pages wanted, at least 1.
     * @return the handle, or empty when out of memory (even after swapping other pages out).
     * @throws IllegalArgumentException when {@code pages < 1}.
     */
    public java.util.Optional<SwappableAllocation> allocateSwappable(final int pages)
    {
        return swap.allocate(pages);
    }

    /** @return the guest's swap: its state, counters, and where the swap driver enables a device. */
    public SwapSpace swap()
    {
        return swap;
    }

    /**
     * Allocate a byte range: whole pages, possibly in several blocks, zeroed. Any thread; under
     * pressure it runs cache shrinkers on this thread before it gives up.
     *
     * @param bytes bytes wanted, at least 1.
     * @return the allocation (its {@link Allocation#length()} is {@code bytes}), or out of memory.
     * @throws IllegalArgumentException when {@code bytes < 1}.
     */
    public AllocationResult allocate(final long bytes)
    {
        if (bytes < 1)
        {
            throw new IllegalArgumentException("cannot allocate " + bytes + " bytes");
        }
        return allocate(Pages.roundUp(bytes) >>> Pages.PAGE_SHIFT, bytes);
    }

    /**
     * Allocate whole pages, zeroed. Any thread, as {@link #allocate}.
     *
     * @param pages pages wanted, at least 1.
     * @return the allocation, or out of memory.
     * @throws IllegalArgumentException when {@code pages < 1}.
     */
    public AllocationResult allocatePages(final int pages)
    {
        if (pages < 1)
        {
            throw new IllegalArgumentException("cannot allocate " + pages + " pages");
        }
        return allocate(pages, (long)pages * Pages.PAGE_SIZE);
    }

    /**
     * Give an allocation back; its handle refuses every access from now on. Any thread,
     * including a cache's {@link ReclaimableCache#shrink}; once per allocation.
     *
     * @param allocation what {@link #allocate} or {@link #allocatePages} returned.
     * @throws IllegalArgumentException when it was already freed or comes from another guest's memory.
     */
    public void free(final Allocation allocation)
    {
        Objects.requireNonNull(allocation, "allocation");
        if (allocation.owner() != this)
        {
            throw new IllegalArgumentException(allocation + " does not belong to this guest's memory");
        }
        synchronized (lock)
        {
            if (allocation.isFreed())
            {
                throw new IllegalArgumentException(allocation + ": double free");
            }
            for (int i = 0; i < allocation.blocks(); i++)
            {
                buddy.free(allocation.blockFrame(i), allocation.blockPages(i));
            }
            allocation.markFreed();
        }
    }

    /**
     * Give swappable memory back: its resident frames to the allocator, its swap slots to the
     * device (a page in transfer is waited for). Any thread; once per allocation.
     *
     * @param allocation what {@link #allocateSwappable} returned.
     * @throws IllegalArgumentException when it was already freed or comes from another guest's memory.
     */
    public void free(final SwappableAllocation allocation)
    {
        Objects.requireNonNull(allocation, "allocation");
        if (allocation.owner() != swap)
        {
            throw new IllegalArgumentException(allocation + " does not belong to this guest's memory");
        }
        allocation.free();
    }

    /**
     * Register a cache the kernel may shrink under pressure (registering it twice does nothing).
     * Any thread; from then on any allocating thread may call the cache.
     *
     * @param cache the cache.
     */
    public void register(final ReclaimableCache cache)
    {
        caches.addIfAbsent(Objects.requireNonNull(cache, "cache"));
    }

    /**
     * @param cache a registered cache.
     * @return whether it was registered.
     */
    public boolean unregister(final ReclaimableCache cache)
    {
        return caches.remove(cache);
    }

    /**
     * Be told of allocation stalls and out-of-memory results (registering a listener twice does
     * nothing). Any thread.
     *
     * @param listener the listener.
     */
    public void addPressureListener(final MemoryPressureListener listener)
    {
        pressureListeners.addIfAbsent(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * @param listener a registered listener.
     * @return whether it was registered.
     */
    public boolean removePressureListener(final MemoryPressureListener listener)
    {
        return pressureListeners.remove(listener);
    }

    /** @return the figures now (any thread; asks every registered cache for its reclaimable bytes on this thread). */
    public MemoryStats stats()
    {
        final long cacheBytes = cacheBytes();
        final long totalBytes;
        final long freeBytes;
        synchronized (lock)
        {
            totalBytes = (long)buddy.onlineFrames() * Pages.PAGE_SIZE;
            freeBytes = (long)buddy.freeFrames() * Pages.PAGE_SIZE;
        }
        final long cache = Math.min(cacheBytes, totalBytes - freeBytes);
        return new MemoryStats(totalBytes, freeBytes, freeBytes + cache, cache,
            allocationStalls.sum(), outOfMemory.sum(), reclaimedBytes.sum());
    }

    /** @return frames the guest may ever own (maxmem). */
    public int maxFrames()
    {
        return buddy.maxFrames();
    }

    /** @return online frames: free or allocated. */
    public int onlineFrames()
    {
        synchronized (lock)
        {
            return buddy.onlineFrames();
        }
    }

    /** @return free frames. */
    public int freeFrames()
    {
        synchronized (lock)
        {
            return buddy.freeFrames();
        }
    }

    /** @return offline frames: not populated, or ballooned. */
    public int offlineFrames()
    {
        synchronized (lock)
        {
            return buddy.offlineFrames();
        }
    }

    /**
     * Declare how much memory this guest needs to keep: the balloon never takes the guest's
     * available memory below it. Any thread; {@link #offline} calls after it see it.
     *
     * @param pages the floor in pages, 0 (the default) for none.
     */
    public void floorPages(final long pages)
    {
        if (pages < 0)
        {
            throw new IllegalArgumentException("floor " + pages + " pages");
        }
        floorPages = pages;
    }

    /** @return the declared floor in pages. */
    public long floorPages()
    {
        return floorPages;
    }

    /**
     * The least memory the balloon driver keeps this guest at, whatever the target (the higher of
     * the host's {@code minmem} and the need the guest declared to it): the driver sets it, the
     * stats publisher reports it as the guest's floor. Any thread.
     *
     * @param pages the floor in pages; 0 (the default, and when no balloon driver runs) for none.
     */
    public void reservationFloorPages(final long pages)
    {
        if (pages < 0)
        {
            throw new IllegalArgumentException("reservation floor " + pages + " pages");
        }
        reservationFloorPages = pages;
    }

    /** @return the floor the balloon driver keeps, in pages (0: none). */
    public long reservationFloorPages()
    {
        return reservationFloorPages;
    }

    /**
     * For the balloon driver: how many pages it may take now without pushing the guest into out
     * of memory: available (free plus reclaimable) minus the declared floor, at least 0. Any
     * thread; a snapshot (allocations go on meanwhile), which {@link #offline} re-checks.
     *
     * @return pages.
     */
    public long balloonablePages()
    {
        final long cacheBytes = reclaimableBytes();
        synchronized (lock)
        {
            return balloonableLocked(cacheBytes);
        }
    }

    /**
     * For the balloon driver (inflate): take free frames offline, largest blocks first (so the
     * hypervisor can punch whole ranges). Takes at most {@link #balloonablePages()}: when that
     * needs more than is free, the caches are asked to shrink first. The frames are not touched.
     * Any thread (the balloon driver's); it may run cache shrinkers on this thread.
     *
     * @param pages frames wanted.
     * @return the frames taken, possibly fewer than asked (none when nothing may be taken).
     */
    public FrameRanges offline(final int pages)
    {
        if (pages < 0)
        {
            throw new IllegalArgumentException("cannot offline " + pages + " pages");
        }
        final long wanted = Math.min(pages, balloonablePages());
        final long shortPages = wanted - freeFrames();
        if (shortPages > 0)
        {
            shrinkCaches(shortPages * Pages.PAGE_SIZE);
        }
        final long cacheBytes = reclaimableBytes();
        final BlockList taken = new BlockList();
        synchronized (lock)
        {
            final long allowed = Math.min(wanted, balloonableLocked(cacheBytes));
            if (allowed > 0)
            {
                buddy.offline((int)allowed, taken);
            }
        }
        return FrameRanges.of(taken);
    }

    /**
     * For the balloon driver (deflate): which frames it could bring back, largest offline blocks
     * first. Changes nothing: populate them, then {@link #online} those that were populated.
     * Any thread; with one balloon driver the answer stays true until it onlines them.
     *
     * @param pages at most this many frames.
     * @return offline frames.
     */
    public FrameRanges offlineFrames(final int pages)
    {
        final BlockList found = new BlockList();
        synchronized (lock)
        {
            buddy.peekOffline(pages, found);
        }
        return FrameRanges.of(found);
    }

    /**
     * For the balloon driver (deflate), once the hypervisor populated the frames: they become
     * free. Any thread.
     *
     * @param firstFrame the first frame.
     * @param frames     how many.
     * @throws IllegalArgumentException when one of them is not offline (nothing changes).
     */
    public void online(final int firstFrame, final int frames)
    {
        online(FrameRanges.of(firstFrame, frames));
    }

    /**
     * Bring every frame of the ranges online (all or nothing). Any thread.
     *
     * @param ranges frames the hypervisor populated.
     * @throws IllegalArgumentException when one of them is not offline (nothing changes).
     */
    public void online(final FrameRanges ranges)
    {
        synchronized (lock)
        {
            for (int i = 0; i < ranges.count(); i++)
            {
                buddy.requireOffline(ranges.first(i), ranges.length(i));
            }
            for (int i = 0; i < ranges.count(); i++)
            {
                buddy.online(ranges.first(i), ranges.length(i));
            }
        }
    }

    /** The allocator itself, for tests in this package. */
    BuddyAllocator buddy()
    {
        return buddy;
    }

    private AllocationResult allocate(final long pages, final long length)
    {
        if (pages <= buddy.maxFrames())
        {
            final Allocation first = take((int)pages, length);
            if (first != null)
            {
                return allocated(first);
            }
            if (shrinkCachesFor(pages))
            {
                final Allocation second = take((int)pages, length);
                if (second != null)
                {
                    return allocated(second);
                }
            }
        }
        outOfMemory.increment();
        final AllocationResult.OutOfMemory result = new AllocationResult.OutOfMemory(pages, freeFrames());
        notifyPressure(MemoryPressure.OUT_OF_MEMORY, pages);
        return result;
    }

    /** @return the allocation, or null when too few frames are free. */
    private Allocation take(final int pages, final long length)
    {
        final BlockList blocks = new BlockList();
        synchronized (lock)
        {
            if (!buddy.allocate(pages, blocks))
            {
                return null;
            }
        }
        return new Allocation(this, memory, blocks, length);
    }

    private static AllocationResult allocated(final Allocation allocation)
    {
        allocation.zero();
        return new AllocationResult.Allocated(allocation);
    }

    /** @return whether trying again may succeed (caches were shrunk, or frames were freed meanwhile). */
    private boolean shrinkCachesFor(final long pages)
    {
        final long shortBytes = (pages - freeFrames()) * Pages.PAGE_SIZE;
        if (shortBytes <= 0)
        {
            return true;
        }
        if (shortBytes > reclaimableBytes())
        {
            return false;
        }
        allocationStalls.increment();
        shrinkCaches(shortBytes);
        notifyPressure(MemoryPressure.ALLOCATION_STALL, pages);
        return true;
    }

    private void notifyPressure(final MemoryPressure pressure, final long pages)
    {
        for (final MemoryPressureListener listener : pressureListeners)
        {
            listener.onPressure(pressure, pages);
        }
    }

    /**
     * Ask the caches, in registration order, until {@code bytes} are freed or none is left: those
     * that {@linkplain ReclaimableCache#countsAsCache count as cache} first, then swap.
     */
    private void shrinkCaches(final long bytes)
    {
        final long needed = shrinkCaches(bytes, true);
        if (needed > 0)
        {
            shrinkCaches(needed, false);
        }
    }

    /** @return bytes still needed. */
    private long shrinkCaches(final long bytes, final boolean cacheKind)
    {
        long needed = bytes;
        for (final ReclaimableCache cache : caches)
        {
            if (needed <= 0)
            {
                break;
            }
            if (cache.countsAsCache() != cacheKind)
            {
                continue;
            }
            final long ask = Math.min(needed, Math.max(0, cache.reclaimableBytes()));
            if (ask > 0)
            {
                final long freed = Math.max(0, cache.shrink(Pages.roundUp(ask)));
                reclaimedBytes.add(freed);
                needed -= freed;
            }
        }
        return needed;
    }

    /** @return what every reclaimer could free, swap included. */
    private long reclaimableBytes()
    {
        return sumReclaimable(false);
    }

    /** @return what the caches that count as cache could free (the "cache" figure). */
    private long cacheBytes()
    {
        return sumReclaimable(true);
    }

    private long sumReclaimable(final boolean cacheOnly)
    {
        long sum = 0;
        for (final ReclaimableCache cache : caches)
        {
            if (cacheOnly && !cache.countsAsCache())
            {
                continue;
            }
            sum += Math.max(0, cache.reclaimableBytes());
            if (sum < 0)
            {
                return Long.MAX_VALUE;
            }
        }
        return sum;
    }

    /** Available pages (free plus reclaimable, the latter at most what is allocated) minus the floor. */
    private long balloonableLocked(final long cacheBytes)
    {
        final long free = buddy.freeFrames();
        final long cachePages = Math.min(cacheBytes / Pages.PAGE_SIZE, buddy.onlineFrames() - free);
        return Math.max(0, free + cachePages - floorPages);
    }
}
