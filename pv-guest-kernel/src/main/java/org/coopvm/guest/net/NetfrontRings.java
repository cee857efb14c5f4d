package org.coopvm.guest.net;

import org.agrona.concurrent.AtomicBuffer;
import org.coopvm.guest.mem.Allocation;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.rings.netif.NetifRing;
import org.coopvm.rings.netif.NetifSlots;
import org.coopvm.rings.xen.FrontRing;

/**
 * The guest's half of one vif's rings: two ring pages and one buffer page per tx and per rx slot,
 * all zeroed and granted (writable) to the backend once, the event channel allocated unbound for
 * the backend, and the free list of tx buffers (a tx request's id is its buffer's index; an rx
 * request's id is its buffer's index too). Each buffer page's view is made once here, so sending and
 * receiving a frame allocates nothing and looks nothing up.
 *
 * <p>Thread safety: tx under the frontend's tx lock; rx on vCPU 0.
 */
final class NetfrontRings
{
    private final Allocation ringPages;
    private final Allocation txPages;
    private final Allocation rxPages;
    private final int[] ringRefs;
    private final int[] txRefs;
    private final int[] rxRefs;
    private final int port;
    private final FrontRing tx;
    private final FrontRing rx;
    private final AtomicBuffer[] txBuffers;
    private final AtomicBuffer[] rxBuffers;
    private final int[] freeTx = new int[NetifRing.TX_ENTRIES];
    private final boolean[] txInFlight = new boolean[NetifRing.TX_ENTRIES];
    private int freeTxCount;

    private NetfrontRings(final Allocation ringPages, final Allocation txPages, final Allocation rxPages, final int[] ringRefs,
        final int[] txRefs, final int[] rxRefs, final int port)
    {
        this.ringPages = ringPages;
        this.txPages = txPages;
        this.rxPages = rxPages;
        this.ringRefs = ringRefs;
        this.txRefs = txRefs;
        this.rxRefs = rxRefs;
        this.port = port;
        this.tx = FrontRing.initialise(ringPages.page(0), 0, NetifRing.RING_BYTES, NetifRing.TX_SLOT_LENGTH);
        this.rx = FrontRing.initialise(ringPages.page(1), 0, NetifRing.RING_BYTES, NetifRing.RX_SLOT_LENGTH);
        this.txBuffers = views(txPages);
        this.rxBuffers = views(rxPages);
        for (int id = NetifRing.TX_ENTRIES - 1; id >= 0; id--)
        {
            freeTx[freeTxCount++] = id;
        }
    }

    /**
     * Allocate, zero and grant the pages and allocate the port.
     *
     * @param ctx          the kernel's services.
     * @param backendDomid the backend's domain.
     * @return the rings.
     * @throws IllegalStateException naming what is missing; nothing stays allocated.
     */
    static NetfrontRings create(final GuestContext ctx, final int backendDomid)
    {
        final Allocation rings = allocate(ctx, 2);
        final Allocation txPages = allocate(ctx, NetifRing.TX_ENTRIES);
        final Allocation rxPages = allocate(ctx, NetifRing.RX_ENTRIES);
        final int[][] refs = {grant(ctx, backendDomid, rings), grant(ctx, backendDomid, txPages), grant(ctx, backendDomid, rxPages)};
        final long port = ctx.hypercalls().evtchnAllocUnbound(backendDomid);
        if (port <= 0 || refs[0] == null || refs[1] == null || refs[2] == null)
        {
            endAndFree(ctx, rings, refs[0]);
            endAndFree(ctx, txPages, refs[1]);
            endAndFree(ctx, rxPages, refs[2]);
            throw new IllegalStateException("cannot grant the vif's pages or allocate its event channel (" + port + ")");
        }
        return new NetfrontRings(rings, txPages, rxPages, refs[0], refs[1], refs[2], (int)port);
    }

    FrontRing tx()
    {
        return tx;
    }

    FrontRing rx()
    {
        return rx;
    }

    int port()
    {
        return port;
    }

    int txRingRef()
    {
        return ringRefs[0];
    }

    int rxRingRef()
    {
        return ringRefs[1];
    }

    boolean hasFreeTx()
    {
        return freeTxCount > 0 && !tx.full();
    }

    /** @return a free tx buffer's id, or -1. */
    int claimTx()
    {
        if (!hasFreeTx())
        {
            return -1;
        }
        final int id = freeTx[--freeTxCount];
        txInFlight[id] = true;
        return id;
    }

    /** @param id an answered tx request's id (ignored when not in flight: a confused backend). */
    void releaseTx(final int id)
    {
        if (id < txInFlight.length && txInFlight[id])
        {
            txInFlight[id] = false;
            freeTx[freeTxCount++] = id;
        }
    }

    AtomicBuffer txBuffer(final int id)
    {
        return txBuffers[id];
    }

    int txGref(final int id)
    {
        return txRefs[id];
    }

    AtomicBuffer rxBuffer(final int id)
    {
        return rxBuffers[id];
    }

    /** Post every rx buffer. @return whether the backend must be notified. */
    boolean postAllRxBuffers()
    {
        for (int id = 0; id < NetifRing.RX_ENTRIES; id++)
        {
            postRx(id);
        }
        return rx.pushRequestsAndCheckNotify();
    }

    /** @param id an rx buffer to post again (pushed by the caller). */
    void postRx(final int id)
    {
        NetifSlots.putRxRequest(rx.buffer(), rx.claimRequest(), id, rxRefs[id]);
    }

    /** Close the port and end the grants; pages whose grant the backend still maps stay allocated. */
    void release(final GuestContext ctx)
    {
        ctx.events().unregister(port);
        ctx.hypercalls().evtchnClose(port);
        endAndFree(ctx, ringPages, ringRefs);
        endAndFree(ctx, txPages, txRefs);
        endAndFree(ctx, rxPages, rxRefs);
    }

    private static AtomicBuffer[] views(final Allocation memory)
    {
        final AtomicBuffer[] views = new AtomicBuffer[memory.pages()];
        for (int page = 0; page < views.length; page++)
        {
            views[page] = memory.page(page);
        }
        return views;
    }

    private static Allocation allocate(final GuestContext ctx, final int pages)
    {
        final Allocation memory = ctx.memory().allocatePages(pages).toOptional()
            .orElseThrow(() -> new IllegalStateException("no " + pages + " free pages for the vif"));
        memory.setMemory(0, memory.length(), (byte)0);
        return memory;
    }

    /** @return the refs, or null (none left granted) when the table is full. */
    private static int[] grant(final GuestContext ctx, final int backendDomid, final Allocation memory)
    {
        return ctx.grants().grantPages(backendDomid, memory.pages(), memory::frame, false);
    }

    private static void endAndFree(final GuestContext ctx, final Allocation memory, final int[] refs)
    {
        if (refs == null || ctx.grants().endAccessAll(refs))
        {
            ctx.memory().free(memory);
        }
    }
}
