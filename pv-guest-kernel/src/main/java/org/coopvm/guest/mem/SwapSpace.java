package org.coopvm.guest.mem;

import org.agrona.collections.IntArrayList;
import org.agrona.concurrent.AtomicBuffer;
import org.coopvm.rings.mem.Pages;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The guest's swappable pages ({@link SwappableAllocation}s) and, once the swap driver
 * {@linkplain #enable enabled} a {@link SwapStore}, the swap device they go out to: Linux's
 * anonymous-page reclaim in miniature. Each swappable page is a one-frame allocation while
 * resident, or a slot on the device while out.
 *
 * <p><b>Out</b>: the swap space is a {@link ReclaimableCache} that does not count as cache, so
 * {@link GuestMemory} asks it after the real caches, when an allocation finds too little free
 * memory or the balloon driver inflates past what is free: it picks the least recently used
 * resident pages with a clock (second chance: an access sets a page's referenced bit, the hand
 * clears it and takes pages found clear), writes them to free slots in batches of
 * {@link SwapStore#batchPages()}, and frees their frames. Its reclaimable figure is the resident
 * swappable pages, at most the free slots: the balloon can take that much, and what it takes
 * costs swap traffic later.
 *
 * <p><b>In</b>: an access to a page that is out allocates a frame (which may push other pages
 * out), reads the slot back, frees the slot, and then completes: one major fault and one page
 * swapped in. An access to a page being written out waits until it is out. A failure is a
 * {@link SwapFaultException} for that access; the page stays out.
 *
 * <p>Counters (pages swapped in and out, major faults, I/O errors) go into the balloon stats
 * (virtio's swap-in, swap-out and major-fault tags).
 *
 * <p>Thread safety: every method, any thread. State is under one lock, held only for bookkeeping
 * and for the copy of an access, never across I/O or an allocation; device I/O goes through one
 * gate (one transfer at a time), which a thread already inside it does not take again (a nested
 * reclaim gets nothing). Swappable memory must not be touched from an event handler or a block
 * completion: those may run inside this class's own wait for I/O.
 */
public final class SwapSpace implements ReclaimableCache
{
    /** Longest wait for a transfer, a busy page or the I/O gate before an access fails. */
    public static final long WAIT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    private static final int LIVE = 1;
    private static final int REFERENCED = 2;
    private static final int BUSY = 4;
    private static final int INITIAL_PAGES = 256;

    private final GuestMemory memory;
    private final ReentrantLock lock = new ReentrantLock();
    private final IntArrayList freeIds = new IntArrayList();
    private Allocation[] frames = new Allocation[INITIAL_PAGES];
    private AtomicBuffer[] views = new AtomicBuffer[INITIAL_PAGES];
    private int[] slotOf = new int[INITIAL_PAGES];
    private byte[] flags = new byte[INITIAL_PAGES];
    private int highWater;
    private int hand;
    private int residentPages;
    private int swappedPages;
    private long swapIns;
    private long swapOuts;
    private long majorFaults;
    private long ioErrors;
    private volatile SwapStore store;
    private SwapSlots slots;
    private volatile Thread ioOwner;

    SwapSpace(final GuestMemory memory)
    {
        this.memory = memory;
    }

    /**
     * Start swapping to a device (the swap driver, once its disk is connected and checked).
     *
     * @param device the device.
     * @throws IllegalStateException when a device is already enabled.
     */
    public void enable(final SwapStore device)
    {
        Objects.requireNonNull(device, "device");
        lock.lock();
        try
        {
            if (store != null)
            {
                throw new IllegalStateException("swap already enabled");
            }
            slots = new SwapSlots(device.slots());
            store = device;
        }
        finally
        {
            lock.unlock();
        }
    }

    /** @return whether a swap device is enabled. */
    public boolean isEnabled()
    {
        return store != null;
    }

    /** @return slots of the enabled device (0 without one). */
    public int slots()
    {
        final SwapStore device = store;
        return device == null ? 0 : device.slots();
    }

    /** @return swappable pages resident now. */
    public int residentPages()
    {
        return locked(() -> residentPages);
    }

    /** @return swappable pages on the swap device now. */
    public int swappedPages()
    {
        return locked(() -> swappedPages);
    }

    /** @return pages read back in since boot (each one a major fault). */
    public long swapInPages()
    {
        return locked(() -> swapIns);
    }

    /** @return pages written out since boot. */
    public long swapOutPages()
    {
        return locked(() -> swapOuts);
    }

    /** @return accesses that had to wait for a page to be read back in, since boot. */
    public long majorFaults()
    {
        return locked(() -> majorFaults);
    }

    /** @return transfers that failed (their pages stayed where they were), since boot. */
    public long ioErrors()
    {
        return locked(() -> ioErrors);
    }

    @Override
    public boolean countsAsCache()
    {
        return false;
    }

    @Override
    public long reclaimableBytes()
    {
        return locked(() -> slots == null ? 0 : (long)Math.min(residentPages, slots.free()) * Pages.PAGE_SIZE);
    }

    /**
     * Write the least recently used resident pages out until about {@code bytes} are freed, at
     * least a batch ({@link SwapStore#batchPages()}, as Linux reclaims {@code SWAP_CLUSTER_MAX}
     * pages at a time), so a run of faults under pressure does not write one page per request.
     * Called by {@link GuestMemory} on the thread that needs the memory; waits for the device.
     */
    @Override
    public long shrink(final long bytes)
    {
        final SwapStore device = store;
        if (device == null || bytes <= 0)
        {
            return 0;
        }
        final int batch = Math.max(1, device.batchPages());
        final long wanted = Math.max(batch, Pages.roundUp(bytes) >>> Pages.PAGE_SHIFT);
        final int[] ids = new int[batch];
        final int[] batchSlots = new int[batch];
        final AtomicBuffer[] pages = new AtomicBuffer[batch];
        long done = 0;
        while (done < wanted)
        {
            final int count = pageOutBatch(device, (int)Math.min(batch, wanted - done), ids, batchSlots, pages);
            if (count <= 0)
            {
                break;
            }
            done += count;
        }
        return done * Pages.PAGE_SIZE;
    }

    /** @return pages written out and freed; 0 when none could be (nothing cold, device full, gate taken); -1 on an error. */
    private int pageOutBatch(final SwapStore device, final int max, final int[] ids, final int[] batchSlots, final AtomicBuffer[] pages)
    {
        if (!acquireIo(device))
        {
            return 0;
        }
        final int count;
        final boolean written;
        try
        {
            count = locked(() -> pickVictims(max, ids, batchSlots, pages));
            if (count == 0)
            {
                return 0;
            }
            written = device.write(batchSlots, pages, count);
        }
        finally
        {
            ioOwner = null;
        }
        final Allocation[] freed = finishPageOut(ids, batchSlots, count, written);
        for (int i = 0; i < count && freed[i] != null; i++)
        {
            memory.free(freed[i]);
        }
        Arrays.fill(pages, 0, count, null);
        return written ? count : -1;
    }

    /** The clock: resident, idle pages not referenced since the hand last passed; under the lock. */
    private int pickVictims(final int max, final int[] ids, final int[] batchSlots, final AtomicBuffer[] pages)
    {
        int count = 0;
        for (int scanned = 0; count < max && scanned < 2 * highWater; scanned++)
        {
            if (hand >= highWater)
            {
                hand = 0;
            }
            final int id = hand++;
            final int f = flags[id];
            if ((f & LIVE) == 0 || (f & BUSY) != 0 || frames[id] == null)
            {
                continue;
            }
            if ((f & REFERENCED) != 0)
            {
                flags[id] = (byte)(f & ~REFERENCED);
                continue;
            }
            final int slot = slots.take();
            if (slot < 0)
            {
                break;
            }
            flags[id] = (byte)(f | BUSY);
            ids[count] = id;
            batchSlots[count] = slot;
            pages[count] = views[id];
            count++;
        }
        return count;
    }

    /** @return the frames to free (null-terminated when fewer), none when the write failed. */
    private Allocation[] finishPageOut(final int[] ids, final int[] batchSlots, final int count, final boolean written)
    {
        final Allocation[] freed = new Allocation[count];
        lock.lock();
        try
        {
            for (int i = 0; i < count; i++)
            {
                final int id = ids[i];
                flags[id] = (byte)(flags[id] & ~BUSY);
                if (written)
                {
                    freed[i] = frames[id];
                    frames[id] = null;
                    views[id] = null;
                    slotOf[id] = batchSlots[i];
                    residentPages--;
                    swappedPages++;
                    swapOuts++;
                }
                else
                {
                    slots.release(batchSlots[i]);
                }
            }
            if (!written)
            {
                ioErrors++;
            }
        }
        finally
        {
            lock.unlock();
        }
        return freed;
    }

    /**
     * Allocate swappable pages, each zeroed and resident (and recently used) now.
     *
     * @param pages pages wanted, at least 1.
     * @return the handle, or empty when out of memory.
     */
    Optional<SwappableAllocation> allocate(final int pages)
    {
        if (pages < 1)
        {
            throw new IllegalArgumentException("cannot allocate " + pages + " swappable pages");
        }
        final Allocation[] got = new Allocation[pages];
        for (int i = 0; i < pages; i++)
        {
            if (!(memory.allocatePages(1) instanceof AllocationResult.Allocated(final Allocation frame)))
            {
                for (int k = 0; k < i; k++)
                {
                    memory.free(got[k]);
                }
                return Optional.empty();
            }
            got[i] = frame;
        }
        final int[] ids = new int[pages];
        lock.lock();
        try
        {
            for (int i = 0; i < pages; i++)
            {
                final int id = newId();
                frames[id] = got[i];
                views[id] = got[i].page(0);
                slotOf[id] = -1;
                flags[id] = LIVE | REFERENCED;
                residentPages++;
                ids[i] = id;
            }
        }
        finally
        {
            lock.unlock();
        }
        return Optional.of(new SwappableAllocation(this, ids));
    }

    /** Give the pages back: frames to the allocator, slots to the device. Waits for pages in transfer. */
    void free(final int[] ids)
    {
        for (final int id : ids)
        {
            final Allocation frame = release(id);
            if (frame != null)
            {
                memory.free(frame);
            }
        }
    }

    private Allocation release(final int id)
    {
        while (true)
        {
            lock.lock();
            try
            {
                if ((flags[id] & BUSY) == 0)
                {
                    return releaseLocked(id);
                }
            }
            finally
            {
                lock.unlock();
            }
            awaitNotBusy(id);
        }
    }

    private Allocation releaseLocked(final int id)
    {
        final Allocation frame = frames[id];
        if (frame != null)
        {
            residentPages--;
        }
        else
        {
            slots.release(slotOf[id]);
            swappedPages--;
        }
        frames[id] = null;
        views[id] = null;
        slotOf[id] = -1;
        flags[id] = 0;
        freeIds.addInt(id);
        return frame;
    }

    /**
     * The page's view with the lock held, brought in first when it is out; pair with {@link #unpin()}.
     *
     * @throws SwapFaultException when it could not be brought in.
     */
    AtomicBuffer pin(final int id)
    {
        while (true)
        {
            lock.lock();
            final int f = flags[id];
            if ((f & LIVE) == 0)
            {
                lock.unlock();
                throw new IllegalStateException("swappable page freed");
            }
            if (frames[id] != null && (f & BUSY) == 0)
            {
                flags[id] = (byte)(f | REFERENCED);
                return views[id];
            }
            final boolean busy = (f & BUSY) != 0;
            final int slot = slotOf[id];
            if (!busy)
            {
                flags[id] = (byte)(f | BUSY);
            }
            lock.unlock();
            if (busy)
            {
                awaitNotBusy(id);
            }
            else
            {
                swapIn(id, slot);
            }
        }
    }

    /** Release the lock {@link #pin} returned with. */
    void unpin()
    {
        lock.unlock();
    }

    /** @return whether the page is resident now (it may go out right after). */
    boolean isResident(final int id)
    {
        return locked(() -> frames[id] != null && (flags[id] & BUSY) == 0);
    }

    /** Bring a page in; the caller marked it busy. */
    private void swapIn(final int id, final int slot)
    {
        final SwapStore device = store;
        final Allocation frame = memory.allocatePages(1).toOptional().orElse(null);
        if (frame == null || !acquireIo(device))
        {
            abandonSwapIn(id, frame, false);
            throw new SwapFaultException(frame == null ? "no memory to swap page back in" : "swap device busy for too long");
        }
        final AtomicBuffer view = frame.page(0);
        final boolean read;
        try
        {
            read = device.read(slot, view);
        }
        finally
        {
            ioOwner = null;
        }
        if (!read)
        {
            abandonSwapIn(id, frame, true);
            throw new SwapFaultException("swap slot " + slot + " could not be read");
        }
        lock.lock();
        try
        {
            frames[id] = frame;
            views[id] = view;
            slots.release(slot);
            slotOf[id] = -1;
            flags[id] = LIVE | REFERENCED;
            residentPages++;
            swappedPages--;
            swapIns++;
            majorFaults++;
        }
        finally
        {
            lock.unlock();
        }
    }

    private void abandonSwapIn(final int id, final Allocation frame, final boolean ioError)
    {
        lock.lock();
        try
        {
            flags[id] = (byte)(flags[id] & ~BUSY);
            if (ioError)
            {
                ioErrors++;
            }
        }
        finally
        {
            lock.unlock();
        }
        if (frame != null)
        {
            memory.free(frame);
        }
    }

    /** @return whether the calling thread holds the I/O gate now; false when it already did (a nested reclaim) or timed out. */
    private boolean acquireIo(final SwapStore device)
    {
        final Thread me = Thread.currentThread();
        while (true)
        {
            lock.lock();
            try
            {
                if (ioOwner == null)
                {
                    ioOwner = me;
                    return true;
                }
                if (ioOwner == me)
                {
                    return false;
                }
            }
            finally
            {
                lock.unlock();
            }
            if (!device.await(() -> ioOwner == null, WAIT_TIMEOUT_NS))
            {
                return false;
            }
        }
    }

    private void awaitNotBusy(final int id)
    {
        final SwapStore device = store;
        if (device == null || !device.await(() -> !locked(() -> (flags[id] & BUSY) != 0), WAIT_TIMEOUT_NS))
        {
            throw new SwapFaultException("swappable page busy for too long");
        }
    }

    private int newId()
    {
        if (!freeIds.isEmpty())
        {
            return freeIds.removeAt(freeIds.size() - 1);
        }
        if (highWater == frames.length)
        {
            final int grown = frames.length * 2;
            frames = Arrays.copyOf(frames, grown);
            views = Arrays.copyOf(views, grown);
            slotOf = Arrays.copyOf(slotOf, grown);
            flags = Arrays.copyOf(flags, grown);
        }
        return highWater++;
    }

    private <T> T locked(final java.util.function.Supplier<T> body)
    {
        lock.lock();
        try
        {
            return body.get();
        }
        finally
        {
            lock.unlock();
        }
    }
}
