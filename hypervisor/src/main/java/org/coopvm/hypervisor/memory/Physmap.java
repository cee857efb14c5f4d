package org.coopvm.hypervisor.memory;

import java.util.BitSet;

/**
 * One domain's physmap: which of its frames (gpfns) are populated, over the frames of its
 * memory region ({@code maxmem} at creation, the capacity), and the most pages it may hold
 * now ({@code max_pages}, which the toolstack may lower or raise within the capacity, as
 * {@code xl mem-max} does). Every populated page is reserved in the {@link MemoryPool} by the
 * domain; {@link Reservations} keeps the two in step.
 *
 * <p>Thread safety: changes under the hypervisor lock; {@link #populatedPages()} and
 * {@link #maxPages()} may be read from any thread.
 */
public final class Physmap
{
    private final int capacityPages;
    private final BitSet populated;
    private volatile long maxPages;
    private volatile long populatedPages;

    /**
     * @param capacityPages frames of the memory region.
     * @param bootPages     frames 0 .. bootPages - 1 start populated; at most the capacity.
     */
    public Physmap(final int capacityPages, final long bootPages)
    {
        if (capacityPages < 0 || bootPages < 0 || bootPages > capacityPages)
        {
            throw new IllegalArgumentException("boot pages " + bootPages + " outside 0.." + capacityPages);
        }
        this.capacityPages = capacityPages;
        this.populated = new BitSet(capacityPages);
        this.populated.set(0, (int)bootPages);
        this.populatedPages = bootPages;
        this.maxPages = capacityPages;
    }

    /** @return frames of the memory region: no gpfn at or above this exists. */
    public int capacityPages()
    {
        return capacityPages;
    }

    /** @return the most pages the domain may have populated ({@code max_pages}). */
    public long maxPages()
    {
        return maxPages;
    }

    /** @param pages the new {@code max_pages}, 0..capacity (may be below the populated count, as in Xen). */
    public void maxPages(final long pages)
    {
        if (pages < 0 || pages > capacityPages)
        {
            throw new IllegalArgumentException("max pages " + pages + " outside 0.." + capacityPages);
        }
        maxPages = pages;
    }

    /** @return pages populated now ({@code tot_pages}). */
    public long populatedPages()
    {
        return populatedPages;
    }

    /**
     * @param gpfn  first frame of an extent (from a guest: any value).
     * @param pages its length, a power of two.
     * @return whether it lies inside the region and starts at a multiple of its length.
     */
    public boolean isValidExtent(final long gpfn, final int pages)
    {
        return gpfn >= 0 && gpfn <= capacityPages - pages && (gpfn & (pages - 1)) == 0;
    }

    /** @param gpfn a frame inside the region. @return whether it is populated. */
    public boolean isPopulated(final long gpfn)
    {
        return gpfn >= 0 && gpfn < capacityPages && populated.get((int)gpfn);
    }

    /**
     * @param gpfn  first frame of a valid extent.
     * @param pages its length.
     * @return how many of its frames are populated.
     */
    public int populatedIn(final long gpfn, final int pages)
    {
        final int end = (int)gpfn + pages;
        int count = 0;
        for (int frame = populated.nextSetBit((int)gpfn); frame >= 0 && frame < end; frame = populated.nextSetBit(frame + 1))
        {
            count++;
        }
        return count;
    }

    /**
     * @param gpfn  first frame of a valid extent.
     * @param pages its length.
     * @return how many frames it adds when populated.
     */
    public int populate(final long gpfn, final int pages)
    {
        final int added = pages - populatedIn(gpfn, pages);
        populated.set((int)gpfn, (int)gpfn + pages);
        populatedPages += added;
        return added;
    }

    /**
     * @param gpfn  first frame of a valid extent whose frames are all populated.
     * @param pages its length.
     */
    public void depopulate(final long gpfn, final int pages)
    {
        populated.clear((int)gpfn, (int)gpfn + pages);
        populatedPages -= pages;
    }

    /** @return the populated frames, as a copy (tests, views). */
    public BitSet populatedFrames()
    {
        return (BitSet)populated.clone();
    }
}
