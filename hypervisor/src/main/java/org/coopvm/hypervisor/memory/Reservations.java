package org.coopvm.hypervisor.memory;

import org.coopvm.rings.hypercall.Errno;
import org.coopvm.rings.hypercall.MemoryOpDescriptor;

/**
 * Xen's reservation operations on a domain's memory, with the host's {@link MemoryPool} as the
 * authority: {@code increase_reservation} and {@code populate_physmap} populate the listed
 * extents, reserving pages in the pool; {@code decrease_reservation} gives extents back,
 * releasing them and punching them out of the domain's memory. A call works through its
 * extents in order and stops at the first that fails, as Xen does; the result is the number
 * of extents done, or, when none was done, minus the errno of the failure:
 * <ul>
 *   <li>{@code -EINVAL}: an extent outside the memory region or not aligned to its size; a
 *       decrease of an extent that is not wholly populated;</li>
 *   <li>{@code -E2BIG}: populating would take the domain over its {@code max_pages};</li>
 *   <li>{@code -ENOMEM}: the pool is short;</li>
 *   <li>{@code -EBUSY}: a decrease of a page another domain has mapped through a grant.</li>
 * </ul>
 * Each extent is all or nothing (Xen may remove part of a failing extent). Populating a frame
 * that is already populated gives it a fresh zero page and uses no more of the pool (Xen gives
 * a new page and keeps the old one allocated to the domain). Every frame a populate hands out
 * reads zero.
 *
 * <p>Thread safety: under the hypervisor lock.
 */
public final class Reservations
{
    /** Which frames other domains have mapped (grant mappings): those cannot be given back. */
    @FunctionalInterface
    public interface ForeignMappings
    {
        /**
         * @param domid the owner of the frame.
         * @param gpfn  the frame.
         * @return whether another domain maps it now.
         */
        boolean isMapped(int domid, long gpfn);
    }

    /** Told about each reservation call (one per call, not per page). */
    @FunctionalInterface
    public interface Listener
    {
        /** Does nothing. */
        Listener NONE = (domid, cmd, nrExtents, order, result) -> { };

        /**
         * @param domid     the domain whose memory changed (or did not).
         * @param cmd       the XENMEM_* command.
         * @param nrExtents extents asked for.
         * @param order     their order.
         * @param result    extents done, or minus an errno.
         */
        void onReservation(int domid, int cmd, long nrExtents, int order, long result);
    }

    private final MemoryPool pool;
    private final ForeignMappings foreignMappings;
    private final Listener listener;

    /**
     * @param pool            the host's pool.
     * @param foreignMappings which frames are mapped by other domains.
     * @param listener        told about every call.
     */
    public Reservations(final MemoryPool pool, final ForeignMappings foreignMappings, final Listener listener)
    {
        this.pool = pool;
        this.foreignMappings = foreignMappings;
        this.listener = listener;
    }

    /**
     * @param cmd a XENMEM_* reservation command.
     * @return its Xen name ("increase_reservation", "decrease_reservation", "populate_physmap"), a constant.
     */
    public static String commandName(final int cmd)
    {
        return switch (cmd)
        {
            case MemoryOpDescriptor.XENMEM_INCREASE_RESERVATION -> "increase_reservation";
            case MemoryOpDescriptor.XENMEM_DECREASE_RESERVATION -> "decrease_reservation";
            case MemoryOpDescriptor.XENMEM_POPULATE_PHYSMAP -> "populate_physmap";
            default -> "memory_op";
        };
    }

    /** @return the pool. */
    public MemoryPool pool()
    {
        return pool;
    }

    /**
     * Reserve a new domain's boot memory.
     *
     * @param domid     the new domain.
     * @param name      its name, for the message.
     * @param bootPages its {@code memory} in pages.
     * @throws PoolShortException when the pool does not have them.
     */
    public void admit(final int domid, final String name, final long bootPages)
    {
        if (!pool.reserve(domid, bootPages))
        {
            throw new PoolShortException("host pool short: " + name + " needs " + mib(bootPages) + " MiB, " +
                mib(pool.freePages()) + " MiB of " + mib(pool.totalPages()) + " MiB free");
        }
    }

    /**
     * A domain is gone: everything it held goes back to the pool.
     *
     * @param domid the domain.
     * @return pages released.
     */
    public long release(final int domid)
    {
        return pool.releaseAll(domid);
    }

    /**
     * XENMEM_increase_reservation: with no machine frames distinct from guest frames, it
     * populates the listed extents exactly as {@link #populatePhysmap} does.
     *
     * @param domid  the domain.
     * @param memory its memory.
     * @param gpfns  first frames of the extents (a private copy).
     * @param count  how many of them.
     * @param order  log2 of pages per extent, 0..{@link MemoryOpDescriptor#MAX_EXTENT_ORDER}.
     * @return extents done, or minus an errno when none was.
     */
    public long increaseReservation(final int domid, final DomainMemory memory, final long[] gpfns, final int count, final int order)
    {
        return populate(MemoryOpDescriptor.XENMEM_INCREASE_RESERVATION, domid, memory, gpfns, count, order);
    }

    /**
     * XENMEM_populate_physmap: each extent's frames become populated with zero pages.
     *
     * @see #increaseReservation
     */
    public long populatePhysmap(final int domid, final DomainMemory memory, final long[] gpfns, final int count, final int order)
    {
        return populate(MemoryOpDescriptor.XENMEM_POPULATE_PHYSMAP, domid, memory, gpfns, count, order);
    }

    /**
     * XENMEM_decrease_reservation: each extent's frames go back to the pool and out of the
     * domain's memory.
     *
     * @see #increaseReservation
     */
    public long decreaseReservation(final int domid, final DomainMemory memory, final long[] gpfns, final int count, final int order)
    {
        checkOrder(order, count, gpfns);
        final Physmap physmap = memory.physmap();
        final int pages = 1 << order;
        int done = 0;
        int errno = 0;
        for (; done < count; done++)
        {
            final long gpfn = gpfns[done];
            errno = !physmap.isValidExtent(gpfn, pages) || physmap.populatedIn(gpfn, pages) != pages ? Errno.EINVAL :
                isMappedByOthers(domid, gpfn, pages) ? Errno.EBUSY : 0;
            if (errno != 0)
            {
                break;
            }
            physmap.depopulate(gpfn, pages);
            pool.release(domid, pages);
            memory.discardLater(gpfn, pages);
        }
        memory.flushDiscards();
        return report(MemoryOpDescriptor.XENMEM_DECREASE_RESERVATION, domid, count, order, done, errno);
    }

    /**
     * Set a domain's {@code max_pages} (as {@code xl mem-max}): later populates stop there;
     * nothing already populated is taken away.
     *
     * @param memory the domain's memory.
     * @param pages  the new maximum, 0..its region's frames.
     * @return whether it was in range (else nothing changed).
     */
    public boolean maxPages(final DomainMemory memory, final long pages)
    {
        if (pages < 0 || pages > memory.physmap().capacityPages())
        {
            return false;
        }
        memory.physmap().maxPages(pages);
        return true;
    }

    private long populate(final int cmd, final int domid, final DomainMemory memory, final long[] gpfns, final int count, final int order)
    {
        checkOrder(order, count, gpfns);
        final Physmap physmap = memory.physmap();
        final int pages = 1 << order;
        int done = 0;
        int errno = 0;
        for (; done < count; done++)
        {
            final long gpfn = gpfns[done];
            errno = populateOne(domid, physmap, gpfn, pages);
            if (errno != 0)
            {
                break;
            }
            memory.discardLater(gpfn, pages);
        }
        memory.flushDiscards();
        return report(cmd, domid, count, order, done, errno);
    }

    private int populateOne(final int domid, final Physmap physmap, final long gpfn, final int pages)
    {
        if (!physmap.isValidExtent(gpfn, pages))
        {
            return Errno.EINVAL;
        }
        final int needed = pages - physmap.populatedIn(gpfn, pages);
        if (physmap.populatedPages() + needed > physmap.maxPages())
        {
            return Errno.E2BIG;
        }
        if (!pool.reserve(domid, needed))
        {
            return Errno.ENOMEM;
        }
        physmap.populate(gpfn, pages);
        return 0;
    }

    private boolean isMappedByOthers(final int domid, final long gpfn, final int pages)
    {
        for (int i = 0; i < pages; i++)
        {
            if (foreignMappings.isMapped(domid, gpfn + i))
            {
                return true;
            }
        }
        return false;
    }

    private long report(final int cmd, final int domid, final long count, final int order, final int done, final int errno)
    {
        final long result = done > 0 || errno == 0 ? done : -errno;
        listener.onReservation(domid, cmd, count, order, result);
        return result;
    }

    private static void checkOrder(final int order, final int count, final long[] gpfns)
    {
        if (order < 0 || order > MemoryOpDescriptor.MAX_EXTENT_ORDER || count < 0 || count > gpfns.length)
        {
            throw new IllegalArgumentException("order " + order + ", " + count + " extents of " + gpfns.length);
        }
    }

    private static long mib(final long pages)
    {
        return pages / 256;
    }
}
