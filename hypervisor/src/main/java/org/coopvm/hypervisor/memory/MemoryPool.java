package org.coopvm.hypervisor.memory;

import org.agrona.collections.Int2ObjectHashMap;

/**
 * The host's memory pool, in 4 KiB pages: the one authority on how much memory guests hold.
 * Every populated page of every domain is reserved here by its owner (the domain) and released
 * when the domain gives it back or is destroyed; the sum of reservations never exceeds the pool.
 *
 * <p>Thread safety: every method is synchronized; the hypervisor changes reservations under its
 * lock, and readers (API, metrics) may call from any thread.
 */
public final class MemoryPool
{
    private final long totalPages;
    private final Int2ObjectHashMap<long[]> byOwner = new Int2ObjectHashMap<>();
    private long reservedPages;

    /**
     * @param totalPages pages the pool holds, at least 1.
     */
    public MemoryPool(final long totalPages)
    {
        if (totalPages < 1)
        {
            throw new IllegalArgumentException("a memory pool needs at least one page, not " + totalPages);
        }
        this.totalPages = totalPages;
    }

    /**
     * Reserve pages for an owner, all or nothing.
     *
     * @param owner the domain.
     * @param pages how many, 0 or more.
     * @return whether the pool had them free (nothing is reserved otherwise).
     */
    public synchronized boolean reserve(final int owner, final long pages)
    {
        checkPages(pages);
        if (pages > totalPages - reservedPages)
        {
            return false;
        }
        byOwner.computeIfAbsent(owner, key -> new long[1])[0] += pages;
        reservedPages += pages;
        return true;
    }

    /**
     * Give pages back.
     *
     * @param owner the domain.
     * @param pages how many, at most what it holds.
     * @throws IllegalStateException when the owner holds fewer (a bookkeeping bug, never a guest's doing).
     */
    public synchronized void release(final int owner, final long pages)
    {
        checkPages(pages);
        final long[] held = byOwner.get(owner);
        final long holds = held == null ? 0 : held[0];
        if (pages > holds)
        {
            throw new IllegalStateException("dom" + owner + " releases " + pages + " pages but holds " + holds);
        }
        held[0] -= pages;
        reservedPages -= pages;
        if (held[0] == 0)
        {
            byOwner.remove(owner);
        }
    }

    /**
     * Give back everything an owner holds (its domain is destroyed).
     *
     * @param owner the domain.
     * @return the pages released.
     */
    public synchronized long releaseAll(final int owner)
    {
        final long[] held = byOwner.remove(owner);
        final long pages = held == null ? 0 : held[0];
        reservedPages -= pages;
        return pages;
    }

    /** @param owner a domain. @return pages it holds. */
    public synchronized long pagesOf(final int owner)
    {
        final long[] held = byOwner.get(owner);
        return held == null ? 0 : held[0];
    }

    /** @return pages the pool holds. */
    public long totalPages()
    {
        return totalPages;
    }

    /** @return pages reserved by all owners. */
    public synchronized long reservedPages()
    {
        return reservedPages;
    }

    /** @return pages free. */
    public synchronized long freePages()
    {
        return totalPages - reservedPages;
    }

    /** @return how many owners hold pages. */
    public synchronized int owners()
    {
        return byOwner.size();
    }

    private static void checkPages(final long pages)
    {
        if (pages < 0)
        {
            throw new IllegalArgumentException("negative page count " + pages);
        }
    }
}
