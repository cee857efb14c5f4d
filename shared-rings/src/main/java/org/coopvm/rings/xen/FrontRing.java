package org.coopvm.rings.xen;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

import static org.coopvm.rings.xen.XenRingDescriptor.*;

/**
 * The front half of a Xen {@code io/ring.h} ring ({@code *_front_ring_t}): it produces requests
 * and consumes responses. Private indices as Xen: {@code req_prod_pvt} (next request slot to
 * fill) and {@code rsp_cons} (next response to read). The ring's memory is any
 * {@link AtomicBuffer} (a region's payload page, later a granted guest page).
 *
 * <p>Typical use: {@link #claimRequest()} and write the request in place (or
 * {@link #putRequest}), then {@link #pushRequestsAndCheckNotify()} and notify the back if it
 * says so ({@link #pushRequests()} when the back only polls); consume with {@link #unconsumedResponses()} and {@link #copyResponse}; before
 * sleeping, {@link #finalCheckForResponses()}.
 *
 * <p>The back is not trusted: its {@code rsp_prod} is read once, and a value claiming more
 * responses than requests outstanding puts the ring in the permanent
 * {@link RingFault#PRODUCER_INDEX_OVERRUN} state where every method reports no work.
 *
 * <p>Not thread safe: one front thread at a time.
 */
public final class FrontRing extends XenRingHalf
{
    private int reqProdPvt;
    private int rspCons;
    private int pushedReqProd;
    private int responseLimit;

    private FrontRing(final AtomicBuffer buffer, final int offset, final int ringBytes, final int slotBytes, final int index)
    {
        super(buffer, offset, ringBytes, slotBytes);
        reqProdPvt = index;
        rspCons = index;
        pushedReqProd = index;
        responseLimit = index;
    }

    /**
     * Initialise the shared header and attach ({@code XEN_FRONT_RING_INIT}): producer indices 0,
     * event indices 1, private bytes and padding zeroed. Only the front initialises.
     *
     * @param buffer    memory holding the ring.
     * @param offset    where the ring starts in it (8-byte aligned; a page for Xen peers).
     * @param ringBytes bytes of the shared ring, header included (one or more pages).
     * @param slotBytes bytes of one slot, the larger of request and response.
     * @return the front half.
     * @throws IllegalArgumentException when the geometry does not fit the buffer.
     */
    public static FrontRing initialise(final AtomicBuffer buffer, final int offset, final int ringBytes, final int slotBytes)
    {
        return initialise(buffer, offset, ringBytes, slotBytes, 0);
    }

    /**
     * Initialise the shared header with all indices starting at {@code startIndex} instead of 0:
     * producers at {@code startIndex}, events at {@code startIndex + 1}. Xen peers that use
     * {@code BACK_RING_ATTACH} with the same index interoperate; this exists to test wrap-around
     * (start just below 2^32) and to resume a ring whose history is known.
     *
     * @param buffer     memory holding the ring.
     * @param offset     where the ring starts in it.
     * @param ringBytes  bytes of the shared ring, header included.
     * @param slotBytes  bytes of one slot.
     * @param startIndex the u32 every index starts at.
     * @return the front half.
     */
    public static FrontRing initialise(
        final AtomicBuffer buffer, final int offset, final int ringBytes, final int slotBytes, final int startIndex)
    {
        final FrontRing ring = new FrontRing(buffer, offset, ringBytes, slotBytes, startIndex);
        buffer.setMemory(offset + PRIVATE_OFFSET, PRIVATE_LENGTH + PAD_LENGTH, (byte)0);
        buffer.putInt(offset + REQ_EVENT_OFFSET, startIndex + 1);
        buffer.putInt(offset + RSP_EVENT_OFFSET, startIndex + 1);
        buffer.putInt(offset + RSP_PROD_OFFSET, startIndex);
        buffer.putIntVolatile(offset + REQ_PROD_OFFSET, startIndex);
        return ring;
    }

    /**
     * Attach to an already initialised ring without touching it ({@code FRONT_RING_ATTACH}),
     * with private indices at {@code index}: the caller knows no request is outstanding there.
     *
     * @param buffer    memory holding the ring.
     * @param offset    where the ring starts in it.
     * @param ringBytes bytes of the shared ring, header included.
     * @param slotBytes bytes of one slot.
     * @param index     value of both {@code req_prod_pvt} and {@code rsp_cons}.
     * @return the front half.
     */
    public static FrontRing attach(
        final AtomicBuffer buffer, final int offset, final int ringBytes, final int slotBytes, final int index)
    {
        return new FrontRing(buffer, offset, ringBytes, slotBytes, index);
    }

    /** @return {@code RING_FREE_REQUESTS}: slots the front may still fill, 0 once faulted. */
    public int freeRequests()
    {
        return faulted() ? 0 : entries - (reqProdPvt - rspCons);
    }

    /** @return {@code RING_FULL}: no slot may be filled. */
    public boolean full()
    {
        return freeRequests() == 0;
    }

    /**
     * Claim the next request slot; write the request in place at the returned offset of
     * {@link #buffer()}, then push. The slot is published only by the next push.
     *
     * @return the slot's offset in {@link #buffer()}, or {@link #NO_SLOT} when full or faulted.
     */
    public int claimRequest()
    {
        if (freeRequests() == 0)
        {
            return NO_SLOT;
        }
        return slotOffset(reqProdPvt++);
    }

    /**
     * Copy a request into the next slot (at most {@link #slotBytes()} bytes).
     *
     * @param source       the request.
     * @param sourceOffset where it starts.
     * @param length       its length.
     * @return false when full or faulted.
     */
    public boolean putRequest(final DirectBuffer source, final int sourceOffset, final int length)
    {
        if (freeRequests() == 0)
        {
            return false;
        }
        copyIn(reqProdPvt++, source, sourceOffset, length);
        return true;
    }

    /**
     * {@code RING_PUSH_REQUESTS}: publish the claimed requests with a release store of
     * {@code req_prod} (the slots written before become visible first); no fence, and
     * {@code req_event} is not read, so it never says whether to notify.
     *
     * <p>Only when the back never sleeps, i.e. it polls {@code req_prod}: a back that waits for
     * a notification could sleep through these requests. A back that may sleep needs
     * {@link #pushRequestsAndCheckNotify()}. Responses to these requests are bounded as after
     * any push.
     */
    public void pushRequests()
    {
        pushedReqProd = reqProdPvt;
        publish(REQ_PROD_OFFSET, reqProdPvt);
    }

    /**
     * {@code RING_PUSH_REQUESTS_AND_CHECK_NOTIFY}: publish the claimed requests (release store of
     * {@code req_prod}), full fence, and decide from the back's {@code req_event} whether it
     * must be notified: {@code (new - event) < (new - old)} unsigned. An implausible
     * {@code req_event} is counted and answered with a notification.
     *
     * @return whether the back must be notified.
     */
    public boolean pushRequestsAndCheckNotify()
    {
        final int oldProd = pushedReqProd;
        pushedReqProd = reqProdPvt;
        return publishAndCheckNotify(REQ_PROD_OFFSET, REQ_EVENT_OFFSET, oldProd, reqProdPvt);
    }

    /**
     * Read {@code rsp_prod} once and return how many responses may be consumed: never more
     * than requests pushed and not yet answered.
     *
     * @return unconsumed responses; 0 when faulted (see {@link #fault()}).
     */
    public int unconsumedResponses()
    {
        if (faulted())
        {
            return 0;
        }
        final int count = trustedCount(readPeerIndex(RSP_PROD_OFFSET), rspCons, pushedReqProd - rspCons);
        responseLimit = rspCons + count;
        return count;
    }

    /**
     * Copy the next response ({@link #slotBytes()} bytes) into private memory and consume it.
     * Only responses counted by the last {@link #unconsumedResponses()} are read; when those
     * are used up, it reads {@code rsp_prod} again.
     *
     * @param destination       private memory to copy to; use only the copy.
     * @param destinationOffset where to copy.
     * @return false when there is no response (or the ring is faulted).
     */
    public boolean copyResponse(final MutableDirectBuffer destination, final int destinationOffset)
    {
        if (rspCons == responseLimit && unconsumedResponses() == 0)
        {
            return false;
        }
        copyOut(rspCons++, destination, destinationOffset);
        return true;
    }

    /**
     * {@code RING_FINAL_CHECK_FOR_RESPONSES}: if no response is waiting, set
     * {@code rsp_event = rsp_cons + 1}, full fence, and check again. Call before sleeping:
     * when it returns false the back will notify on its next response push.
     *
     * @return whether responses are waiting (do not sleep); false when faulted.
     */
    public boolean finalCheckForResponses()
    {
        if (unconsumedResponses() != 0)
        {
            return true;
        }
        if (faulted())
        {
            return false;
        }
        requestEvent(RSP_EVENT_OFFSET, rspCons);
        return unconsumedResponses() != 0;
    }

    /** @return requests pushed or claimed and not yet answered by a consumed response. */
    public int requestsOutstanding()
    {
        return reqProdPvt - rspCons;
    }

    /** @return {@code req_prod_pvt}: the index of the next request slot to claim. */
    public int requestProducerIndex()
    {
        return reqProdPvt;
    }

    /** @return {@code rsp_cons}: the index of the next response to consume. */
    public int responseConsumerIndex()
    {
        return rspCons;
    }
}
