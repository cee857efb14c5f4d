package org.coopvm.rings.balloon;

/**
 * The virtio-balloon statistics tags ({@code VIRTIO_BALLOON_S_*}, virtio spec 5.5.6.3), in the
 * units virtio uses: memory amounts in bytes, events as counts. The tag is also the value's slot
 * in the balloon stats region and its bit in the validity mask.
 */
public enum StatTag
{
    /** Memory swapped in, bytes, cumulative. */
    SWAP_IN(0, Unit.BYTES, true),
    /** Memory swapped out, bytes, cumulative. */
    SWAP_OUT(1, Unit.BYTES, true),
    /** Major page faults, cumulative. */
    MAJOR_FAULTS(2, Unit.COUNT, true),
    /** Minor page faults, cumulative. */
    MINOR_FAULTS(3, Unit.COUNT, true),
    /** Memory not in use at all, bytes. */
    FREE(4, Unit.BYTES, false),
    /** Memory the guest has (its current reservation), bytes. */
    TOTAL(5, Unit.BYTES, false),
    /** Memory available for new work without swapping (free + reclaimable), bytes. */
    AVAILABLE(6, Unit.BYTES, false),
    /** Memory in caches the guest can drop, bytes. */
    CACHES(7, Unit.BYTES, false),
    /** Successful hugetlb page allocations, cumulative. */
    HUGETLB_ALLOCATIONS(8, Unit.COUNT, true),
    /** Failed hugetlb page allocations, cumulative. */
    HUGETLB_FAILURES(9, Unit.COUNT, true),
    /** Out-of-memory kills, cumulative. */
    OOM_KILLS(10, Unit.COUNT, true),
    /** Allocation stalls (allocations that had to wait for reclaim), cumulative. */
    ALLOC_STALLS(11, Unit.COUNT, true),
    /** Memory scanned by background reclaim, bytes, cumulative. */
    ASYNC_SCAN(12, Unit.BYTES, true),
    /** Memory scanned by direct reclaim, bytes, cumulative. */
    DIRECT_SCAN(13, Unit.BYTES, true),
    /** Memory reclaimed in the background, bytes, cumulative. */
    ASYNC_RECLAIM(14, Unit.BYTES, true),
    /** Memory reclaimed directly, bytes, cumulative. */
    DIRECT_RECLAIM(15, Unit.BYTES, true);

    /** Number of tags (value slots in the region). */
    public static final int COUNT = 16;

    /** What a value counts. */
    public enum Unit
    {
        /** Bytes of memory. */
        BYTES,
        /** Events. */
        COUNT
    }

    private static final StatTag[] BY_TAG = values();

    private final int tag;
    private final Unit unit;
    private final boolean cumulative;

    StatTag(final int tag, final Unit unit, final boolean cumulative)
    {
        this.tag = tag;
        this.unit = unit;
        this.cumulative = cumulative;
    }

    /** @return the virtio tag: the value's slot and validity bit. */
    public int tag()
    {
        return tag;
    }

    /** @return the unit. */
    public Unit unit()
    {
        return unit;
    }

    /** @return whether the value only grows (a counter since boot), so a decrease is a lie. */
    public boolean isCumulative()
    {
        return cumulative;
    }

    /** @return this tag's bit in the validity mask. */
    public long bit()
    {
        return 1L << tag;
    }

    /**
     * @param tag 0..15.
     * @return the tag.
     */
    public static StatTag of(final int tag)
    {
        return BY_TAG[tag];
    }
}
