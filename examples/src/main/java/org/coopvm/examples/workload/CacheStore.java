package org.coopvm.examples.workload;

import org.agrona.collections.Int2IntHashMap;
import org.coopvm.guest.mem.Allocation;
import org.coopvm.guest.mem.AllocationResult;
import org.coopvm.guest.mem.GuestMemory;
import org.coopvm.guest.mem.ReclaimableCache;
import org.coopvm.rings.mem.Pages;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * The {@code cache} workload's data: fixed-size values in <em>slabs</em> of guest pages
 * allocated from {@link GuestMemory}, an index from key to slot, and an intrusive LRU list, so a
 * lookup, a hit, an insert and an eviction are each O(1) and an entry costs about 25 bytes of
 * heap (its key and two links in int arrays, and its entry in the open-addressing index), with no
 * object per entry, however many there are.
 *
 * <p>Slot {@code s} is value bytes {@code (s % slotsPerSlab) * valueBytes ..} of slab
 * {@code s / slotsPerSlab}. A slab holds as many values as fit in about {@value #SLAB_TARGET_BYTES}
 * bytes (at least one), in whole pages. A value starts with a stamp derived from its key, checked
 * on every hit: a hit whose stamp is wrong (memory changed under the cache) is counted as a bad
 * value and fetched again.
 *
 * <p>A miss takes a free slot; when there is none it allocates a slab, and when guest memory has
 * no slab left it evicts the least recently used entry and reuses its slot. It never asks the
 * kernel to shrink this cache to make room for itself (see {@link #shrink}).
 *
 * <p>As a {@link ReclaimableCache} it reports all its slabs as reclaimable. {@link #shrink}
 * evicts least recently used entries until the survivors fit in fewer slabs, moves the survivors
 * out of the last slabs into free slots of the others, and frees those last slabs: the bytes it
 * returns are exactly the bytes given back to guest memory (whole slabs, so at least what was
 * asked when the cache holds that much).
 *
 * <p>Thread safety: every method may be called from any thread; the cache's structure is guarded
 * by its monitor. {@link #reclaimableBytes} takes no lock. The kernel calls {@link #shrink} on an
 * allocating thread; when that thread is this cache's own slab allocation, both methods answer 0
 * (the cache evicts its own entries instead of being shrunk half-way through an insert).
 */
final class CacheStore implements ReclaimableCache
{
    /** About how many bytes of values a slab holds: small enough that a shrink frees little more than asked. */
    static final int SLAB_TARGET_BYTES = 64 * 1024;
    /** Smallest value: room for the stamp. */
    static final int MIN_VALUE_BYTES = Long.BYTES;
    /** Largest value: 1 MiB. */
    static final int MAX_VALUE_BYTES = 1 << 20;

    private static final int FREE = -1;
    private static final long STAMP_MAGIC = 0x5EED_CAC4_E000_0000L;

    private final GuestMemory memory;
    private final int valueBytes;
    private final int slotsPerSlab;
    private final int slabPages;
    private final ArrayList<Allocation> slabs = new ArrayList<>();
    private final SlotList.Links links = new SlotList.Links();
    private final SlotList lru = new SlotList(links);
    private final SlotList free = new SlotList(links);
    private final Int2IntHashMap index = new Int2IntHashMap(SlotList.NONE);
    private int[] slotKeys = new int[0];
    private byte[] scratch;
    private long hits;
    private long misses;
    private long evictions;
    private long uncached;
    private long badValues;
    private long reclaimedBytes;
    private volatile long heldBytes;
    private volatile Thread growingThread;

    /**
     * @param memory     the guest memory the slabs come from (register this cache with it separately).
     * @param valueBytes bytes per value, {@value #MIN_VALUE_BYTES}..{@value #MAX_VALUE_BYTES}.
     */
    CacheStore(final GuestMemory memory, final int valueBytes)
    {
        if (valueBytes < MIN_VALUE_BYTES || valueBytes > MAX_VALUE_BYTES)
        {
            throw new IllegalArgumentException("value bytes " + valueBytes + " outside " + MIN_VALUE_BYTES + ".." + MAX_VALUE_BYTES);
        }
        this.memory = memory;
        this.valueBytes = valueBytes;
        this.slotsPerSlab = Math.max(1, SLAB_TARGET_BYTES / valueBytes);
        this.slabPages = (int)(Pages.roundUp((long)slotsPerSlab * valueBytes) >>> Pages.PAGE_SHIFT);
    }

    /**
     * Serve one request: a hit refreshes the entry; a miss fetches (generates) the value and
     * inserts it, evicting when memory is short.
     *
     * @param key the key, at least 0.
     * @return whether it was a hit.
     */
    synchronized boolean request(final int key)
    {
        final int slot = index.get(key);
        if (slot != SlotList.NONE)
        {
            lru.moveToFront(slot);
            if (slab(slot).getLong(offset(slot)) == stamp(key))
            {
                hits++;
                return true;
            }
            badValues++;
            misses++;
            writeValue(slot, key);
            return false;
        }
        misses++;
        insert(key);
        return false;
    }

    @Override
    public long reclaimableBytes()
    {
        return Thread.currentThread() == growingThread ? 0 : heldBytes;
    }

    @Override
    public long shrink(final long bytes)
    {
        if (Thread.currentThread() == growingThread)
        {
            return 0;
        }
        synchronized (this)
        {
            return shrinkLocked(bytes);
        }
    }

    /** @return the figures now. */
    synchronized CacheFigures figures()
    {
        return new CacheFigures(hits, misses, evictions, lru.size(), heldBytes, reclaimedBytes, badValues, uncached);
    }

    /** @return whether the key is cached (does not count as a request or refresh it). */
    synchronized boolean contains(final int key)
    {
        return index.get(key) != SlotList.NONE;
    }

    /** @return the cached keys, most recently used first. */
    synchronized int[] keysMostRecentFirst()
    {
        final int[] keys = new int[lru.size()];
        int i = 0;
        for (int slot = lru.first(); slot != SlotList.NONE; slot = lru.next(slot))
        {
            keys[i++] = slotKeys[slot];
        }
        return keys;
    }

    /** @return entries that fit in the slabs held now. */
    synchronized int capacity()
    {
        return slabs.size() * slotsPerSlab;
    }

    /** @return values per slab. */
    int slotsPerSlab()
    {
        return slotsPerSlab;
    }

    /** @return bytes per slab (whole pages). */
    long slabBytes()
    {
        return (long)slabPages * Pages.PAGE_SIZE;
    }

    private void insert(final int key)
    {
        int slot = free.removeFirst();
        if (slot == SlotList.NONE && grow())
        {
            slot = free.removeFirst();
        }
        if (slot == SlotList.NONE)
        {
            slot = evictLeastRecent();
        }
        if (slot == SlotList.NONE)
        {
            uncached++;
            return;
        }
        slotKeys[slot] = key;
        index.put(key, slot);
        lru.addFirst(slot);
        writeValue(slot, key);
    }

    /** @return the slot the least recently used entry held (in no list now), or NONE when the cache is empty. */
    private int evictLeastRecent()
    {
        final int slot = lru.removeLast();
        if (slot != SlotList.NONE)
        {
            index.remove(slotKeys[slot]);
            slotKeys[slot] = FREE;
            evictions++;
        }
        return slot;
    }

    /** @return whether a slab was added (its slots are free). */
    private boolean grow()
    {
        if (memory.freeFrames() < slabPages)
        {
            return false;
        }
        final AllocationResult result;
        growingThread = Thread.currentThread();
        try
        {
            result = memory.allocatePages(slabPages);
        }
        finally
        {
            growingThread = null;
        }
        if (result instanceof AllocationResult.Allocated(final Allocation slab))
        {
            addSlab(slab);
            return true;
        }
        return false;
    }

    private void addSlab(final Allocation slab)
    {
        final int firstSlot = slabs.size() * slotsPerSlab;
        slabs.add(slab);
        links.ensureCapacity(firstSlot + slotsPerSlab);
        if (slotKeys.length < links.capacity())
        {
            slotKeys = Arrays.copyOf(slotKeys, links.capacity());
        }
        for (int slot = firstSlot; slot < firstSlot + slotsPerSlab; slot++)
        {
            slotKeys[slot] = FREE;
            free.addLast(slot);
        }
        heldBytes += slabBytes();
    }

    private long shrinkLocked(final long bytes)
    {
        if (bytes <= 0 || slabs.isEmpty())
        {
            return 0;
        }
        final int drop = (int)Math.min(slabs.size(), (bytes + slabBytes() - 1) / slabBytes());
        final int keptSlots = (slabs.size() - drop) * slotsPerSlab;
        while (lru.size() > keptSlots)
        {
            free.addLast(evictLeastRecent());
        }
        compactBelow(keptSlots);
        long freed = 0;
        for (int i = 0; i < drop; i++)
        {
            final Allocation slab = slabs.removeLast();
            freed += (long)slab.pages() * Pages.PAGE_SIZE;
            memory.free(slab);
        }
        heldBytes -= freed;
        reclaimedBytes += freed;
        return freed;
    }

    /** Move every entry in slots {@code keptSlots..} to a free slot below; those slots leave the free list. */
    private void compactBelow(final int keptSlots)
    {
        final int end = slabs.size() * slotsPerSlab;
        for (int slot = keptSlots; slot < end; slot++)
        {
            if (slotKeys[slot] == FREE)
            {
                free.remove(slot);
            }
        }
        for (int slot = keptSlots; slot < end; slot++)
        {
            if (slotKeys[slot] != FREE)
            {
                move(slot, free.removeFirst());
            }
        }
    }

    private void move(final int from, final int to)
    {
        if (scratch == null)
        {
            scratch = new byte[valueBytes];
        }
        slab(from).getBytes(offset(from), scratch, 0, valueBytes);
        slab(to).putBytes(offset(to), scratch, 0, valueBytes);
        final int key = slotKeys[from];
        slotKeys[to] = key;
        slotKeys[from] = FREE;
        index.put(key, to);
        lru.replace(from, to);
    }

    /** Fetch: the stamp, then a byte pattern of the key. */
    private void writeValue(final int slot, final int key)
    {
        final Allocation slab = slab(slot);
        final long offset = offset(slot);
        slab.putLong(offset, stamp(key));
        slab.setMemory(offset + Long.BYTES, valueBytes - Long.BYTES, (byte)(key * 31 + 7));
    }

    private Allocation slab(final int slot)
    {
        return slabs.get(slot / slotsPerSlab);
    }

    private long offset(final int slot)
    {
        return (long)(slot % slotsPerSlab) * valueBytes;
    }

    private static long stamp(final int key)
    {
        return STAMP_MAGIC ^ key;
    }
}
