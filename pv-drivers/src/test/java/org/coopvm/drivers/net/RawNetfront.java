package org.coopvm.drivers.net;

import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.guest.GuestKernel;
import org.coopvm.guest.mem.Allocation;
import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.xenstore.GuestXenstoreAccess;
import org.coopvm.rings.netif.NetifDevice;
import org.coopvm.rings.netif.NetifRing;
import org.coopvm.rings.netif.NetifRxResponse;
import org.coopvm.rings.netif.NetifSlots;
import org.coopvm.rings.netif.NetifTxRequest;
import org.coopvm.rings.netif.NetifTxResponseDescriptor;
import org.coopvm.rings.xen.FrontRing;
import org.coopvm.rings.xen.XenRingDescriptor;
import org.coopvm.rings.xenbus.XenbusEnd;
import org.coopvm.rings.xenbus.XenbusFrontend;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A hand-made netfront for the hostile-frontend and data-path tests: it goes through the real
 * xenbus handshake with one-page tx and rx rings, a data page and {@link #RX_BUFFERS} rx pages
 * granted to dom0, then lets the test write any tx request it likes (and any producer index),
 * push it, and read the responses; post rx buffers when it wants, and take what dom0 copied into
 * them.
 */
final class RawNetfront implements XenbusFrontend.Driver
{
    static final long DEADLINE_S = 60;
    /** Rx pages granted (the ring has 256 slots). */
    static final int RX_BUFFERS = 64;

    private final GuestContext ctx;
    private final UnsafeBuffer responseCopy = new UnsafeBuffer(new byte[NetifRing.TX_SLOT_LENGTH]);
    private final UnsafeBuffer rxResponseCopy = new UnsafeBuffer(new byte[NetifRing.RX_SLOT_LENGTH]);
    private final Allocation rxPages;
    private final int[] rxRefs = new int[RX_BUFFERS];
    private FrontRing tx;
    private FrontRing rx;
    private int port;
    private volatile boolean connected;
    final Allocation data;
    final int dataRef;

    private RawNetfront(final GuestContext ctx)
    {
        this.ctx = ctx;
        this.data = ctx.memory().allocatePages(1).toOptional().orElseThrow();
        this.dataRef = ctx.grants().grantAccess(0, data.frame(0), true);
        this.rxPages = ctx.memory().allocatePages(RX_BUFFERS).toOptional().orElseThrow();
        for (int id = 0; id < RX_BUFFERS; id++)
        {
            rxRefs[id] = ctx.grants().grantAccess(0, rxPages.frame(id), false);
        }
    }

    static RawNetfront start(final GuestKernel kernel, final String frontendPath)
    {
        final RawNetfront front = new RawNetfront(kernel.context());
        kernel.context().submit(0, task ->
        {
            XenbusFrontend.start(new GuestXenstoreAccess(kernel.context().xenstore().orElseThrow()), frontendPath, front);
            return StepResult.DONE;
        });
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> front.connected);
        return front;
    }

    @Override
    public Map<String, String> initialise(final XenbusEnd end)
    {
        final Allocation rings = ctx.memory().allocatePages(2).toOptional().orElseThrow();
        rings.setMemory(0, 2 * 4096, (byte)0);
        final int txRef = ctx.grants().grantAccess(0, rings.frame(0), false);
        final int rxRef = ctx.grants().grantAccess(0, rings.frame(1), false);
        port = (int)ctx.hypercalls().evtchnAllocUnbound(0);
        tx = FrontRing.initialise(rings.page(0), 0, NetifRing.RING_BYTES, NetifRing.TX_SLOT_LENGTH);
        rx = FrontRing.initialise(rings.page(1), 0, NetifRing.RING_BYTES, NetifRing.RX_SLOT_LENGTH);
        return Map.of(NetifDevice.TX_RING_REF, Integer.toString(txRef), NetifDevice.RX_RING_REF, Integer.toString(rxRef),
            NetifDevice.EVENT_CHANNEL, Integer.toString(port), NetifDevice.REQUEST_RX_COPY, "1");
    }

    @Override
    public void connected(final XenbusEnd end)
    {
        connected = true;
    }

    @Override
    public void disconnected(final XenbusEnd end)
    {
        connected = false;
    }

    /**
     * Send one tx request and wait for its response.
     *
     * @return the response's status.
     */
    short send(final int gref, final int pageOffset, final int flags, final int id, final int size)
    {
        new NetifTxRequest().wrap(tx.buffer(), tx.claimRequest()).put(gref, pageOffset, flags, id, size);
        tx.pushRequestsAndCheckNotify();
        ctx.hypercalls().evtchnSend(port);
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> tx.unconsumedResponses() > 0);
        tx.copyResponse(responseCopy, 0);
        return responseCopy.getShort(NetifTxResponseDescriptor.STATUS_OFFSET);
    }

    /**
     * Post rx buffers (ids and pages {@code first..first+count-1}, modulo {@link #RX_BUFFERS}) and notify dom0.
     *
     * @param first the first buffer's id.
     * @param count how many.
     */
    void postRx(final int first, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final int id = (first + i) % RX_BUFFERS;
            NetifSlots.putRxRequest(rx.buffer(), rx.claimRequest(), id, rxRefs[id]);
        }
        rx.pushRequestsAndCheckNotify();
        ctx.hypercalls().evtchnSend(port);
    }

    /**
     * Take the next rx response, waiting for it.
     *
     * @param frame where its bytes go.
     * @return its status (the byte count when positive); the bytes are copied out of the posted page.
     */
    int receive(final UnsafeBuffer frame)
    {
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
            .until(() -> rx.unconsumedResponses() > 0);
        rx.copyResponse(rxResponseCopy, 0);
        final NetifRxResponse response = new NetifRxResponse().wrap(rxResponseCopy, 0);
        if (response.status() > 0)
        {
            frame.putBytes(0, rxPages.page(response.id()), response.pageOffset(), response.status());
        }
        return response.status();
    }

    /** Publish an rx {@code req_prod} far beyond what the ring holds and notify dom0. */
    void overrunRxProducerIndex()
    {
        final int rspProd = rx.buffer().getIntVolatile(XenRingDescriptor.RSP_PROD_OFFSET);
        rx.buffer().putIntRelease(XenRingDescriptor.REQ_PROD_OFFSET, rspProd + rx.entries() + 5);
        ctx.hypercalls().evtchnSend(port);
    }

    /** Publish a tx {@code req_prod} far beyond what the ring holds and notify dom0. */
    void overrunProducerIndex()
    {
        final int rspProd = tx.buffer().getIntVolatile(XenRingDescriptor.RSP_PROD_OFFSET);
        tx.buffer().putIntRelease(XenRingDescriptor.REQ_PROD_OFFSET, rspProd + tx.entries() + 5);
        ctx.hypercalls().evtchnSend(port);
    }
}
