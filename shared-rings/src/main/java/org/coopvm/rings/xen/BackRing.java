package org.coopvm.rings.xen;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

import static org.coopvm.rings.xen.XenRingDescriptor.*;

/**
 * The back half of a Xen {@code io/ring.h} ring ({@code *_back_ring_t}): it consumes requests
 * and produces responses. Private indices as Xen: {@code req_cons} (next request to read) and
 * {@code rsp_prod_pvt} (next response slot to fill). The back never initialises the shared
 * header; the front does.
 *
 * <p>Typical use: {@link #unconsumedRequests()}, {@link #copyRequest} into private memory,
 * validate and serve the copy, {@link #claimResponse()} and write in place (or
 * {@link #putResponse}), {@link #pushResponsesAndCheckNotify()} ({@link #pushResponses()} when
 * the front only polls); before sleeping,
 * {@link #finalCheckForRequests()}.
 *
 * <p>The front is not trusted: its {@code req_prod} is read once and trusted for at most
 * {@code min(req_prod - req_cons, size - (req_cons - rsp_prod_pvt))} requests; a value beyond
 * that (too far ahead, or behind {@code req_cons}) puts the ring in the permanent
 * {@link RingFault#PRODUCER_INDEX_OVERRUN} state where every method reports no work.
 *
 * <p>Not thread safe: one back thread at a time.
 */
public final class BackRing extends XenRingHalf
{
    private int rspProdPvt;
    private int reqCons;
    private int pushedRspProd;
    private int requestLimit;

    private BackRing(final AtomicBuffer buffer, final int offset, final int ringBytes, final int slotBytes, final int index)
    {
        super(buffer, offset, ringBytes, slotBytes);
        rspProdPvt = index;
        reqCons = index;
        pushedRspProd = index;
        requestLimit = index;
    }

    /**
     * {@code BACK_RING_INIT}: attach to a ring the front initialised, indices at 0.
     *
     * @param buffer    memory holding the ring.
     * @param offset    where the ring starts in it.
     * @param ringBytes bytes of the shared ring, header included (one or more pages).
     * @param slotBytes bytes of one slot, the larger of request and response.
     * @return the back half.
     * @throws IllegalArgumentException when the geometry does not fit the buffer.
     */
    public static BackRing attach(final AtomicBuffer buffer, final int offset, final int ringBytes, final int slotBytes)
    {
        return attach(buffer, offset, ringBytes, slotBytes, 0);
    }

    /**
     * {@code BACK_RING_ATTACH}: attach with {@code req_cons} and {@code rsp_prod_pvt} at
     * {@code index}, matching a front initialised or attached at the same index (wrap-around
     * tests, resuming a ring). The shared header is not touched.
     *
     * @param buffer    memory holding the ring.
     * @param offset    where the ring starts in it.
     * @param ringBytes bytes of the shared ring, header included.
     * @param slotBytes bytes of one slot.
     * @param index     the u32 both private indices start at.
     * @return the back half.
     */
    public static BackRing attach(
        final AtomicBuffer buffer, final int offset, final int ringBytes, final int slotBytes, final int index)
    {
        return new BackRing(buffer, offset, ringBytes, slotBytes, index);
    }

    /**
     * {@code RING_HAS_UNCONSUMED_REQUESTS} with the hostile-peer bound: read {@code req_prod}
     * once; trust at most {@code min(req_prod - req_cons, size - (req_cons - rsp_prod_pvt))}.
     *
     * @return requests that may be consumed; 0 when faulted (see {@link #fault()}).
     */
    public int unconsumedRequests()
    {
        if (faulted())
        {
            return 0;
        }
        final int count = trustedCount(readPeerIndex(REQ_PROD_OFFSET), reqCons, entries - (reqCons - rspProdPvt));
        requestLimit = reqCons + count;
        return count;
    }

    /**
     * Copy the next request ({@link #slotBytes()} bytes) into private memory and consume it
     * ({@code RING_COPY_REQUEST}, then {@code req_cons++}). Validate and use only the copy: the
     * front may rewrite the slot at any time. Only requests counted by the last
     * {@link #unconsumedRequests()} are read; when those are used up it reads {@code req_prod}
     * again.
     *
     * @param destination       private memory to copy to.
     * @param destinationOffset where to copy.
     * @return false when there is no request (or the ring is faulted).
     */
    public boolean copyRequest(final MutableDirectBuffer destination, final int destinationOffset)
    {
        if (reqCons == requestLimit && unconsumedRequests() == 0)
        {
            return false;
        }
        copyOut(reqCons++, destination, destinationOffset);
        return true;
    }

    /**
     * @return requests consumed and not yet answered ({@code req_cons - rsp_prod_pvt}): how many
     * responses may be claimed.
     */
    public int requestsToRespondTo()
    {
        return reqCons - rspProdPvt;
    }

    /**
     * Claim the next response slot (the slot of the oldest unanswered request, already copied
     * out); write the response in place at the returned offset, then push.
     *
     * @return the slot's offset in {@link #buffer()}, or {@link #NO_SLOT} when no consumed
     * request awaits a response or the ring is faulted.
     */
    public int claimResponse()
    {
        if (faulted() || requestsToRespondTo() == 0)
        {
            return NO_SLOT;
        }
        return slotOffset(rspProdPvt++);
    }

    /**
     * Copy a response into the next response slot (at most {@link #slotBytes()} bytes).
     *
     * @param source       the response.
     * @param sourceOffset where it starts.
     * @param length       its length.
     * @return false when no consumed request awaits a response or the ring is faulted.
     */
    public boolean putResponse(final DirectBuffer source, final int sourceOffset, final int length)
    {
        if (faulted() || requestsToRespondTo() == 0)
        {
            return false;
        }
        copyIn(rspProdPvt++, source, sourceOffset, length);
        return true;
    }

    /**
     * {@code RING_PUSH_RESPONSES}: publish the claimed responses with a release store of
     * {@code rsp_prod} (the slots written before become visible first); no fence, and
     * {@code rsp_event} is not read, so it never says whether to notify.
     *
     * <p>Only when the front never sleeps, i.e. it polls {@code rsp_prod}: a front that waits
     * for a notification could sleep through these responses. A front that may sleep needs
     * {@link #pushResponsesAndCheckNotify()}.
     */
    public void pushResponses()
    {
        pushedRspProd = rspProdPvt;
        publish(RSP_PROD_OFFSET, rspProdPvt);
    }

    /**
     * {@code RING_PUSH_RESPONSES_AND_CHECK_NOTIFY}: publish the claimed responses (release store
     * of {@code rsp_prod}), full fence, and decide from the front's {@code rsp_event} whether it
     * must be notified: {@code (new - event) < (new - old)} unsigned. An implausible
     * {@code rsp_event} is counted and answered with a notification.
     *
     * @return whether the front must be notified.
     */
    public boolean pushResponsesAndCheckNotify()
    {
        final int oldProd = pushedRspProd;
        pushedRspProd = rspProdPvt;
        return publishAndCheckNotify(RSP_PROD_OFFSET, RSP_EVENT_OFFSET, oldProd, rspProdPvt);
    }

    /**
     * {@code RING_FINAL_CHECK_FOR_REQUESTS}: if no request is waiting, set
     * {@code req_event = req_cons + 1}, full fence, and check again. Call before sleeping: when
     * it returns false the front will notify on its next request push.
     *
     * @return whether requests are waiting (do not sleep); false when faulted.
     */
    public boolean finalCheckForRequests()
    {
        if (unconsumedRequests() != 0)
        {
            return true;
        }
        if (faulted())
        {
            return false;
        }
        requestEvent(REQ_EVENT_OFFSET, reqCons);
        return unconsumedRequests() != 0;
    }

    /** @return {@code req_cons}: the index of the next request to consume. */
    public int requestConsumerIndex()
    {
        return reqCons;
    }

    /** @return {@code rsp_prod_pvt}: the index of the next response slot to claim. */
    public int responseProducerIndex()
    {
        return rspProdPvt;
    }
}
