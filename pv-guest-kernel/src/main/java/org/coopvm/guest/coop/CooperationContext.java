package org.coopvm.guest.coop;

import org.coopvm.guest.mem.MemoryStats;
import org.coopvm.rings.usage.UsageRead;

/**
 * What the guest kernel offers a {@link CooperationPolicy}: who it is, the usage page, its own
 * memory, the request it publishes to the host, the console and the clock.
 *
 * <p>Thread safety: called by the policy on the cooperation task's thread; the kernel's
 * implementation is safe from any thread.
 */
public interface CooperationContext
{
    /** @return this domain's id (its entry on the usage page). */
    int domid();

    /** @return the usage page read now: a consistent copy, or why not this time; never blocks. */
    UsageRead readUsage();

    /** @return this guest's memory figures now (total, free, available, caches, ...), from its page allocator. */
    MemoryStats memoryStats();

    /** @return the most memory this domain may hold (its maxmem), KiB. */
    long maxmemKib();

    /** @return the floor the guest's balloon keeps (the higher of {@code minmem} and what the guest declares), KiB; 0 when none. */
    long floorKib();

    /**
     * Ask for memory, or volunteer some, through the balloon stats the host reads (the
     * {@code cooperative} balloon policy acts on it). Replaces the previous request. The request
     * is kept as a goal, the total now plus or minus {@code kib} within 0..maxmem, and published
     * until the guest's total reaches it, then it reads 0 by itself.
     *
     * @param kib more than 0 asks for that much more, less than 0 volunteers that much back, 0
     *            withdraws the request.
     */
    void requestMemory(long kib);

    /** @return what the next stats publish carries: the part of the request still missing (signed), 0 for none. */
    long outstandingRequestKib();

    /**
     * Write a line on the domain's console, prefixed {@code cooperation: }; at most 10 lines per
     * 10 s reach it (the rest are counted and the count is said later).
     *
     * @param line the text.
     */
    void log(String line);

    /** @return now, on the kernel's clock, ns. */
    long nowNs();
}
