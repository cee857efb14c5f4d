package org.coopvm.guest.mem;

/**
 * A workload's cache whose memory the kernel may take back under pressure, as Linux's shrinkers:
 * registered with {@link GuestMemory#register}, it counts in the guest's "cache" and "available"
 * figures, and an allocation (or the balloon driver) that finds too little free memory asks it to
 * shrink before it reports out of memory.
 *
 * <p>Thread safety: both methods may be called from any thread that allocates, reads the stats
 * or inflates the balloon, concurrently with the workload's own use of the cache, and never
 * while the allocator's lock is held: {@link #shrink} may (and should) free its allocations.
 * It may be called on the thread of an allocation the cache itself is making: allocate before
 * taking your structure apart, or guard against re-entry.
 */
public interface ReclaimableCache
{
    /** @return bytes this cache could free now if asked (its allocations it can drop). */
    long reclaimableBytes();

    /**
     * Drop entries and free their memory ({@link GuestMemory#free}) until about {@code bytes}
     * are freed (more is fine, for example a whole entry).
     *
     * @param bytes bytes wanted, a multiple of the page size.
     * @return bytes really freed.
     */
    long shrink(long bytes);

    /**
     * @return whether this memory counts in the guest's "cache" and "available" figures (true: a
     *         cache that drops its contents); false for memory that is reclaimed by writing it
     *         somewhere first, such as swappable pages ({@link SwapSpace}), which caches give way
     *         to: they are shrunk first.
     */
    default boolean countsAsCache()
    {
        return true;
    }
}
