package org.coopvm.rings.blkif;

import org.coopvm.rings.mem.Pages;
import org.coopvm.rings.xen.XenRingDescriptor;

/**
 * The geometry of a blkif ring ({@code DEFINE_RING_TYPES(blkif, ...)}): a Xen {@code io/ring.h}
 * ring of 112-byte slots over {@code 2^order} granted pages, as {@code ring-page-order} says:
 * 32 entries for one page, 64 for two, ... {@link #MAX_RING_PAGE_ORDER} is what CoopVM's backend
 * offers in {@code max-ring-page-order} (Linux's blkback default, 16 pages, 512 entries).
 *
 * <p>Stateless; any thread may call it.
 */
public final class BlkifRing
{
    /** Bytes of a slot: the union of request (112) and response (16). */
    public static final int SLOT_LENGTH = Math.max(BlkifRequestDescriptor.REQUEST_LENGTH, BlkifResponseDescriptor.RESPONSE_LENGTH);
    /** Largest {@code ring-page-order} the backend accepts (and offers). */
    public static final int MAX_RING_PAGE_ORDER = 4;

    private BlkifRing()
    {
    }

    /**
     * @param order a ring page order, 0..{@link #MAX_RING_PAGE_ORDER}.
     * @return pages of the ring.
     */
    public static int pages(final int order)
    {
        checkOrder(order);
        return 1 << order;
    }

    /**
     * @param order a ring page order.
     * @return bytes of the shared ring.
     */
    public static int ringBytes(final int order)
    {
        return pages(order) * Pages.PAGE_SIZE;
    }

    /**
     * @param order a ring page order.
     * @return entries of the ring ({@code __CONST_RING_SIZE(blkif, pages * 4096)}): 32 per page.
     */
    public static int entries(final int order)
    {
        return XenRingDescriptor.entries(ringBytes(order), SLOT_LENGTH);
    }

    private static void checkOrder(final int order)
    {
        if (order < 0 || order > MAX_RING_PAGE_ORDER)
        {
            throw new IllegalArgumentException("ring-page-order " + order + " outside 0.." + MAX_RING_PAGE_ORDER);
        }
    }
}
