package org.coopvm.guest.block;

import org.agrona.concurrent.AtomicBuffer;
import org.coopvm.guest.mem.Allocation;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.rings.blkif.BlkifRequestDescriptor;

/**
 * One page per ring slot, granted to the backend (writable, as Linux blkfront grants them, so a
 * backend with persistent grants keeps them mapped), where an indirect request lists its
 * segments ({@code struct blkif_request_segment}, from the page's start). Made with the ring when
 * the backend wrote {@code feature-max-indirect-segments}; its pages and grants go with the ring.
 *
 * <p>Thread safety: guarded by the frontend's lock.
 */
final class IndirectPages
{
    private static final System.Logger LOG = System.getLogger(IndirectPages.class.getName());

    private final Allocation pages;
    private final int[] refs;
    private final AtomicBuffer[] views;
    private final int maxSegments;
    private boolean freed;

    private IndirectPages(final Allocation pages, final int[] refs, final int maxSegments)
    {
        this.pages = pages;
        this.refs = refs;
        this.maxSegments = maxSegments;
        this.views = new AtomicBuffer[refs.length];
        for (int slot = 0; slot < refs.length; slot++)
        {
            views[slot] = pages.page(slot);
        }
    }

    /**
     * @param ctx          the kernel's services.
     * @param backendDomid the backend's domain.
     * @param slots        the ring's entries.
     * @param maxSegments  most segments of one indirect request (one page holds 512).
     * @return the pages, or {@code null} (logged) when the guest cannot spare or grant them: requests then stay at 11 segments.
     */
    static IndirectPages create(final GuestContext ctx, final int backendDomid, final int slots, final int maxSegments)
    {
        if (maxSegments > BlkifRequestDescriptor.SEGMENTS_PER_INDIRECT_PAGE)
        {
            throw new IllegalArgumentException("one indirect page per request holds " + BlkifRequestDescriptor.SEGMENTS_PER_INDIRECT_PAGE +
                " segments, not " + maxSegments);
        }
        final Allocation pages = ctx.memory().allocatePages(slots).toOptional().orElse(null);
        if (pages == null)
        {
            LOG.log(System.Logger.Level.INFO, "dom{0}: no {1} free pages for indirect requests: 11 segments per request", ctx.domid(), slots);
            return null;
        }
        final int[] refs = ctx.grants().grantPages(backendDomid, slots, pages::frame, false);
        if (refs == null)
        {
            LOG.log(System.Logger.Level.INFO, "dom{0}: cannot grant {1} indirect pages: 11 segments per request", ctx.domid(), slots);
            ctx.memory().free(pages);
            return null;
        }
        return new IndirectPages(pages, refs, maxSegments);
    }

    /** @return most segments of one indirect request. */
    int maxSegments()
    {
        return maxSegments;
    }

    /** @param slot a ring slot. @return its indirect page. */
    AtomicBuffer page(final int slot)
    {
        return views[slot];
    }

    /** @param slot a ring slot. @return its indirect page's grant reference. */
    int gref(final int slot)
    {
        return refs[slot];
    }

    /**
     * End the grants; free the pages once every grant ended (the backend may still map one).
     *
     * @param ctx the kernel's services.
     * @return whether the pages are freed (now or before).
     */
    boolean endGrantsAndFree(final GuestContext ctx)
    {
        if (!freed && ctx.grants().endAccessAll(refs))
        {
            ctx.memory().free(pages);
            freed = true;
        }
        return freed;
    }
}
