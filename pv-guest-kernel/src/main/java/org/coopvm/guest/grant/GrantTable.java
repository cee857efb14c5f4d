package org.coopvm.guest.grant;

import org.agrona.collections.IntArrayList;
import org.coopvm.rings.grant.GrantStatus;
import org.coopvm.rings.grant.GrantTableFrontend;
import org.coopvm.rings.hypercall.Errno;

import java.util.function.IntUnaryOperator;

/**
 * The guest side of its grant table: hands out grant references (2 upward; 0 and 1 are reserved
 * for console and xenstore, as in Xen) from a free list, publishes grants through the
 * shared-rings {@link GrantTableFrontend} and ends them, which fails while the grantee has the
 * page mapped.
 *
 * <p>Thread safety: any thread (synchronized).
 */
public final class GrantTable
{
    /** The first reference handed out. */
    public static final int FIRST_FREE_REF = 2;

    private final GrantTableFrontend frontend;
    private final int nrEntries;
    private final IntArrayList freeRefs = new IntArrayList();
    private int nextUnused = FIRST_FREE_REF;

    /**
     * @param frontend  the flyweight over this domain's grant table.
     * @param nrEntries entries in the table.
     */
    public GrantTable(final GrantTableFrontend frontend, final int nrEntries)
    {
        this.frontend = frontend;
        this.nrEntries = nrEntries;
    }

    /**
     * Grant {@code domid} access to one of our frames.
     *
     * @param domid    the grantee.
     * @param frame    a frame of our memory.
     * @param readonly whether the grantee may only read.
     * @return the grant reference (2 or more), or {@code -ENOSPC} when the table is full,
     *         {@code -EINVAL} when the frontend refuses the arguments.
     */
    public synchronized int grantAccess(final int domid, final int frame, final boolean readonly)
    {
        final int ref = takeRef();
        if (ref < 0)
        {
            return -Errno.ENOSPC;
        }
        final int status = frontend.grantAccess(ref, domid, frame, readonly);
        if (status != GrantStatus.GNTST_OKAY)
        {
            freeRefs.addInt(ref);
            return -Errno.EINVAL;
        }
        return ref;
    }

    /**
     * Grant {@code domid} access to several frames, all or none.
     *
     * @param domid    the grantee.
     * @param pages    how many.
     * @param frameOf  the frame of page {@code 0 .. pages - 1}.
     * @param readonly whether the grantee may only read.
     * @return one reference per page, or {@code null} when one could not be granted (table full or
     *         refused): the grants made before it are ended.
     */
    public synchronized int[] grantPages(final int domid, final int pages, final IntUnaryOperator frameOf, final boolean readonly)
    {
        final int[] refs = new int[pages];
        for (int page = 0; page < pages; page++)
        {
            refs[page] = grantAccess(domid, frameOf.applyAsInt(page), readonly);
            if (refs[page] < 0)
            {
                for (int granted = 0; granted < page; granted++)
                {
                    endAccess(refs[granted]); // nobody was told of them: none is mapped
                }
                return null;
            }
        }
        return refs;
    }

    /**
     * End every grant still held in {@code refs}: each one that ends is set to -1 (its reference
     * back on the free list); one the grantee still maps stays, for a later call.
     *
     * @param refs references {@link #grantAccess} returned, -1 for those already ended.
     * @return whether none is held any more (the pages may be freed).
     */
    public synchronized boolean endAccessAll(final int[] refs)
    {
        boolean ended = true;
        for (int page = 0; page < refs.length; page++)
        {
            if (refs[page] >= 0 && endAccess(refs[page]))
            {
                refs[page] = -1;
            }
            ended &= refs[page] < 0;
        }
        return ended;
    }

    /**
     * Grant access at a reserved reference (below {@link #FIRST_FREE_REF}): 0 for the console
     * ring, 1 for the xenstore ring ({@code GNTTAB_RESERVED_CONSOLE}, {@code GNTTAB_RESERVED_XENSTORE}).
     *
     * @param ref      the reserved reference.
     * @param domid    the grantee.
     * @param frame    a frame of our memory.
     * @param readonly whether the grantee may only read.
     * @return {@code ref}, or {@code -EINVAL} when it is not reserved or the frontend refuses the arguments.
     */
    public synchronized int grantReserved(final int ref, final int domid, final int frame, final boolean readonly)
    {
        if (ref < 0 || ref >= FIRST_FREE_REF || ref >= nrEntries)
        {
            return -Errno.EINVAL;
        }
        return frontend.grantAccess(ref, domid, frame, readonly) == GrantStatus.GNTST_OKAY ? ref : -Errno.EINVAL;
    }

    /**
     * End a grant at a reserved reference.
     *
     * @param ref the reserved reference.
     * @return {@code true} when ended; {@code false} while the grantee maps it.
     */
    public synchronized boolean endReserved(final int ref)
    {
        if (ref < 0 || ref >= FIRST_FREE_REF)
        {
            throw new IllegalArgumentException("grant ref " + ref + " is not reserved");
        }
        return frontend.endAccess(ref);
    }

    /**
     * End a grant and return its reference to the free list.
     *
     * @param ref a reference {@link #grantAccess} returned.
     * @return {@code true} when ended; {@code false} while the grantee maps it (try again later).
     */
    public synchronized boolean endAccess(final int ref)
    {
        if (ref < FIRST_FREE_REF || ref >= nextUnused || freeRefs.containsInt(ref))
        {
            throw new IllegalArgumentException("grant ref " + ref + " is not in use");
        }
        if (!frontend.endAccess(ref))
        {
            return false;
        }
        freeRefs.addInt(ref);
        return true;
    }

    /**
     * @param ref a grant reference.
     * @return whether the grantee has it mapped now (reading or writing bit set).
     */
    public boolean isMapped(final int ref)
    {
        return frontend.isInUse(ref);
    }

    /** @return references in use. */
    public synchronized int refsInUse()
    {
        return nextUnused - FIRST_FREE_REF - freeRefs.size();
    }

    private int takeRef()
    {
        if (!freeRefs.isEmpty())
        {
            return freeRefs.removeAt(freeRefs.size() - 1);
        }
        return nextUnused < nrEntries ? nextUnused++ : -1;
    }
}
