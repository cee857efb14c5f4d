package org.coopvm.guest.block;

import org.coopvm.guest.mem.Allocation;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.rings.blkif.BlkifDevice;
import org.coopvm.rings.blkif.BlkifRequest;
import org.coopvm.rings.blkif.BlkifRequestDescriptor;
import org.coopvm.rings.blkif.BlkifRing;
import org.coopvm.rings.xen.FrontRing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The guest's half of one disk's ring: {@code 2^order} contiguous zeroed pages granted (writable)
 * to the backend, a Xen {@link FrontRing} over them, the event channel allocated unbound for the
 * backend, and the table of ring requests in flight by slot (the request id is the slot with a
 * generation above it, so a stale or made-up id in a response is recognised).
 *
 * <p>When the backend serves indirect requests, each slot also has an indirect page
 * ({@link IndirectPages}) where a request of more than 11 segments lists them (Linux blkfront
 * keeps the same per-request pages).
 *
 * <p>Thread safety: guarded by the frontend's lock.
 */
final class BlkfrontRing
{
    private final Allocation pages;
    private final int[] refs;
    private final int port;
    private final int order;
    private final FrontRing ring;
    private final RingRequest[] inFlight;
    private final int[] generations;
    private final int[] freeSlots;
    private final IndirectPages indirect;
    private int freeCount;

    private BlkfrontRing(final Allocation pages, final int[] refs, final int port, final int order, final IndirectPages indirect)
    {
        this.pages = pages;
        this.refs = refs;
        this.port = port;
        this.order = order;
        this.indirect = indirect;
        this.ring = FrontRing.initialise(pages.block(0), 0, BlkifRing.ringBytes(order), BlkifRing.SLOT_LENGTH);
        this.inFlight = new RingRequest[ring.entries()];
        this.generations = new int[ring.entries()];
        this.freeSlots = new int[ring.entries()];
        for (int slot = ring.entries() - 1; slot >= 0; slot--)
        {
            freeSlots[freeCount++] = slot;
        }
    }

    /**
     * Allocate, zero and grant the pages and allocate the port.
     *
     * @param ctx              the kernel's services.
     * @param backendDomid     the backend's domain.
     * @param order            the ring's page order.
     * @param indirectSegments most segments of an indirect request; 11 or fewer: no indirect pages.
     * @return the ring (without indirect pages when the guest could not spare them).
     * @throws IllegalStateException naming what is missing; nothing stays allocated.
     */
    static BlkfrontRing create(final GuestContext ctx, final int backendDomid, final int order, final int indirectSegments)
    {
        final Allocation pages = ctx.memory().allocatePages(BlkifRing.pages(order)).toOptional()
            .orElseThrow(() -> new IllegalStateException("no free pages for a ring of order " + order));
        if (pages.blocks() != 1)
        {
            ctx.memory().free(pages);
            throw new IllegalStateException("no " + pages.pages() + " contiguous free pages for the ring");
        }
        pages.setMemory(0, pages.length(), (byte)0);
        final int[] refs = ctx.grants().grantPages(backendDomid, pages.pages(), pages::frame, false);
        if (refs == null)
        {
            ctx.memory().free(pages);
            throw new IllegalStateException("cannot grant the ring's " + pages.pages() + " pages (grant table full)");
        }
        final long port = ctx.hypercalls().evtchnAllocUnbound(backendDomid);
        if (port <= 0)
        {
            ctx.grants().endAccessAll(refs);
            ctx.memory().free(pages);
            throw new IllegalStateException("no event channel for the backend (" + port + ")");
        }
        final IndirectPages indirect = indirectSegments > BlkifRequestDescriptor.MAX_SEGMENTS
            ? IndirectPages.create(ctx, backendDomid, BlkifRing.entries(order), indirectSegments) : null;
        return new BlkfrontRing(pages, refs, (int)port, order, indirect);
    }

    /** @return most segments one ring request may carry: 11, or the indirect maximum when the ring has indirect pages. */
    int maxSegments()
    {
        return indirect == null ? BlkifRequestDescriptor.MAX_SEGMENTS : indirect.maxSegments();
    }

    /** @return what the frontend publishes with Initialised. */
    Map<String, String> keys()
    {
        final Map<String, String> keys = new LinkedHashMap<>();
        if (order == 0)
        {
            keys.put(BlkifDevice.RING_REF, Integer.toString(refs[0]));
        }
        else
        {
            keys.put(BlkifDevice.RING_PAGE_ORDER, Integer.toString(order));
            for (int page = 0; page < refs.length; page++)
            {
                keys.put(BlkifDevice.ringRef(page), Integer.toString(refs[page]));
            }
        }
        keys.put(BlkifDevice.EVENT_CHANNEL, Integer.toString(port));
        keys.put(BlkifDevice.PROTOCOL, BlkifDevice.PROTOCOL_X86_64);
        keys.put(BlkifDevice.FEATURE_PERSISTENT, "1");
        return keys;
    }

    FrontRing ring()
    {
        return ring;
    }

    int port()
    {
        return port;
    }

    /** @return whether a slot (and so a ring entry) is free. */
    boolean hasFreeSlot()
    {
        return freeCount > 0 && !ring.full();
    }

    /**
     * Take a free slot for the request and write it into the next ring entry (not yet pushed).
     *
     * @param next    a ring request.
     * @param request a flyweight to write the entry with.
     * @param handle  the device's handle.
     */
    void put(final RingRequest next, final BlkifRequest request, final int handle)
    {
        final int slot = freeSlots[--freeCount];
        inFlight[slot] = next;
        final long id = (long)generations[slot] << 32 | slot;
        request.wrap(ring.buffer(), ring.claimRequest());
        if (indirect != null && next.needsIndirect())
        {
            next.writeIndirect(request, handle, id, indirect.page(slot), indirect.gref(slot));
        }
        else
        {
            next.writeTo(request, handle, id);
        }
    }

    /**
     * @param id a response's id.
     * @return the request it answers, no longer tracked; {@code null} for an id not in flight.
     */
    RingRequest complete(final long id)
    {
        final int slot = (int)id;
        if (slot < 0 || slot >= inFlight.length || inFlight[slot] == null || generations[slot] != (int)(id >>> 32))
        {
            return null;
        }
        final RingRequest request = inFlight[slot];
        inFlight[slot] = null;
        generations[slot]++;
        freeSlots[freeCount++] = slot;
        return request;
    }

    /** @return requests in flight, untracked (the device disconnects). */
    RingRequest[] drain()
    {
        final RingRequest[] left = inFlight.clone();
        java.util.Arrays.fill(inFlight, null);
        return left;
    }

    /**
     * Close the port and end the page grants; free the pages when every grant ended.
     *
     * @param ctx the kernel's services.
     * @return false when the backend still maps a page (they stay allocated).
     */
    boolean release(final GuestContext ctx)
    {
        ctx.events().unregister(port);
        ctx.hypercalls().evtchnClose(port);
        return endGrantsAndFree(ctx);
    }

    /** @return whether every grant ended and the pages were freed. */
    boolean endGrantsAndFree(final GuestContext ctx)
    {
        final boolean indirectFreed = indirect == null || indirect.endGrantsAndFree(ctx);
        final boolean ended = ctx.grants().endAccessAll(refs) && indirectFreed;
        if (ended)
        {
            ctx.memory().free(pages);
        }
        return ended;
    }
}
