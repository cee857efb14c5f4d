package org.coopvm.guest.net;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.guest.driver.FrontendLifecycle;
import org.coopvm.guest.task.TaskHandle;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.rings.hypercall.Errno;
import org.coopvm.rings.netif.MacAddress;
import org.coopvm.rings.netif.NetifDevice;
import org.coopvm.rings.netif.NetifRing;
import org.coopvm.rings.netif.NetifRxResponse;
import org.coopvm.rings.netif.NetifSlots;
import org.coopvm.rings.netif.NetifTxRequest;
import org.coopvm.rings.netif.NetifTxResponseDescriptor;
import org.coopvm.rings.xenbus.XenbusEnd;
import org.coopvm.rings.xenbus.XenbusFrontend;
import org.coopvm.rings.xenbus.XenstoreAccess;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The guest's network frontend for one vif (Linux's netfront): the guest's frame API over a tx and
 * an rx netif ring, set up through a {@link XenbusFrontend} whose driver this is. Once the backend
 * waits (InitWait) it allocates both ring pages, one buffer page per tx slot and per rx slot, grants
 * all of them to the backend once (the backend keeps them mapped), allocates the event channel and
 * publishes {@code tx-ring-ref}, {@code rx-ring-ref}, {@code event-channel},
 * {@code request-rx-copy} and {@code feature-rx-notify} with Initialised; once Connected it posts
 * every rx buffer.
 *
 * <p>{@link #send} copies the frame into a free tx buffer and pushes the request (Xen's
 * push-and-check-notify). The event handler (vCPU 0) frees tx buffers as responses come, hands
 * each received frame to the {@link FrameHandler} and posts its buffer again.
 *
 * <p>Thread safety: {@link #send} from any thread (one lock for tx, never held across a
 * hypercall); the event handler on vCPU 0; the xenbus callbacks where {@link XenbusEnd} delivers
 * them.
 */
public final class NetFrontend implements XenbusFrontend.Driver
{
    /** Longest wait of {@link #shutdown} for the backend to let go, in milliseconds. */
    public static final long SHUTDOWN_WAIT_MS = FrontendLifecycle.SHUTDOWN_WAIT_MS;
    /** Rx buffers reposted with one push while frames are being delivered (Linux netfront refills in batches too). */
    static final int RX_REPOST_BATCH = 32;

    private final GuestContext ctx;
    private final int handle;
    private final MacAddress mac;
    private final Object txLock = new Object();
    private final UnsafeBuffer txCopy = new UnsafeBuffer(new byte[NetifRing.TX_SLOT_LENGTH]);
    private final UnsafeBuffer rxCopy = new UnsafeBuffer(new byte[NetifRing.RX_SLOT_LENGTH]);
    private final NetifRxResponse rxResponse = new NetifRxResponse().wrap(rxCopy, 0);
    private final NetifTxRequest txRequest = new NetifTxRequest();
    private final LongAdder sent = new LongAdder();
    private final LongAdder txErrors = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder rxErrors = new LongAdder();
    private final LongAdder handlerErrors = new LongAdder();
    private final FrontendLifecycle lifecycle;
    private final LongAdder notifications = new LongAdder();
    private final LongAdder events = new LongAdder();
    private final LongAdder txRingFull = new LongAdder();
    private volatile FrameHandler handler = (frame, offset, length) -> { };
    private volatile boolean connected;
    private NetfrontRings rings;
    private TaskHandle txWaiter;

    private NetFrontend(final GuestContext ctx, final int handle, final MacAddress mac)
    {
        this.ctx = ctx;
        this.handle = handle;
        this.mac = mac;
        this.lifecycle = new FrontendLifecycle(ctx, this);
    }

    /**
     * Start the frontend of a vif the toolstack made: watch the backend (the handshake follows).
     *
     * @param ctx        the kernel's services.
     * @param xenstore   the guest's xenstore connection.
     * @param devicePath the frontend directory, {@code /local/domain/<domid>/device/vif/<handle>}.
     * @param handle     the vif's number.
     * @param mac        the vif's address.
     * @return the frontend.
     */
    public static NetFrontend start(final GuestContext ctx, final XenstoreAccess xenstore, final String devicePath, final int handle,
        final MacAddress mac)
    {
        final NetFrontend frontend = new NetFrontend(ctx, handle, mac);
        frontend.lifecycle.start(xenstore, devicePath);
        return frontend;
    }

    @Override
    public Map<String, String> initialise(final XenbusEnd end)
    {
        release(takeRings());
        final NetfrontRings fresh = NetfrontRings.create(ctx, end.otherDomid());
        ctx.events().register(fresh.port(), port -> onEvent());
        synchronized (txLock)
        {
            rings = fresh;
        }
        final Map<String, String> keys = new LinkedHashMap<>();
        keys.put(NetifDevice.TX_RING_REF, Integer.toString(fresh.txRingRef()));
        keys.put(NetifDevice.RX_RING_REF, Integer.toString(fresh.rxRingRef()));
        keys.put(NetifDevice.EVENT_CHANNEL, Integer.toString(fresh.port()));
        keys.put(NetifDevice.REQUEST_RX_COPY, "1");
        keys.put(NetifDevice.FEATURE_RX_NOTIFY, "1");
        return keys;
    }

    @Override
    public void connected(final XenbusEnd end)
    {
        final NetfrontRings current;
        synchronized (txLock)
        {
            current = rings;
            connected = current != null;
        }
        if (current != null && current.postAllRxBuffers())
        {
            ctx.hypercalls().evtchnNotify(current.port());
        }
    }

    @Override
    public void disconnected(final XenbusEnd end)
    {
        release(takeRings());
    }

    /** @return the vif's number. */
    public int handle()
    {
        return handle;
    }

    /** @return the vif's MAC address. */
    public MacAddress mac()
    {
        return mac;
    }

    /** @return whether frames can be sent and received. */
    public boolean isConnected()
    {
        return connected;
    }

    /**
     * Who gets received frames (on vCPU 0). Frames received before one is set are dropped.
     *
     * @param frameHandler the handler.
     */
    public void receive(final FrameHandler frameHandler)
    {
        handler = frameHandler;
    }

    /**
     * Send one Ethernet frame (copied into a granted tx buffer before this returns).
     *
     * @param frame  the frame: destination MAC, source MAC, ethertype, payload.
     * @param offset where it starts.
     * @param length 14..1514 bytes.
     * @return 0; {@code -EINVAL} for a bad length, {@code -EAGAIN} when every tx buffer is in flight
     * (try again after responses came), {@code -ENOTCONN} when not connected.
     */
    public int send(final DirectBuffer frame, final int offset, final int length)
    {
        if (length < NetifRing.ETH_HEADER_LENGTH || length > NetifRing.DEFAULT_MTU + NetifRing.ETH_HEADER_LENGTH)
        {
            return -Errno.EINVAL;
        }
        final int port;
        synchronized (txLock)
        {
            if (!connected || rings == null)
            {
                return -Errno.ENOTCONN;
            }
            if (!rings.hasFreeTx())
            {
                reapTx();
            }
            final int id = rings.claimTx();
            if (id < 0)
            {
                txRingFull.increment();
                return -Errno.EAGAIN;
            }
            rings.txBuffer(id).putBytes(0, frame, offset, length);
            txRequest.wrap(rings.tx().buffer(), rings.tx().claimRequest()).put(rings.txGref(id), 0, 0, id, length);
            sent.increment();
            port = rings.tx().pushRequestsAndCheckNotify() ? rings.port() : 0;
        }
        if (port > 0)
        {
            notifyBackend(port);
        }
        return 0;
    }

    /**
     * Wake a task once a tx buffer is free (at once if one is): what a sender that got
     * {@code -EAGAIN} blocks on instead of polling, so its vCPU can sleep while dom0 drains the
     * ring. The backend's next tx responses wake it (one waiter; a later call replaces it).
     *
     * @param task the task to wake.
     */
    public void wakeWhenTxFree(final TaskHandle task)
    {
        synchronized (txLock)
        {
            if (rings == null || !connected || rings.hasFreeTx())
            {
                txWaiter = null;
                task.wake();
                return;
            }
            txWaiter = task;
        }
    }

    /** @return frames sent. */
    public long sent()
    {
        return sent.sum();
    }

    /** @return frames the backend answered with an error or dropped. */
    public long txErrors()
    {
        return txErrors.sum();
    }

    /** @return frames received. */
    public long received()
    {
        return received.sum();
    }

    /** @return rx responses with an error status or an unknown id. */
    public long rxErrors()
    {
        return rxErrors.sum();
    }

    /** @return frame handlers that threw (counted and dropped). */
    public long handlerErrors()
    {
        return handlerErrors.sum();
    }

    /** @return notifications sent to the backend (after pushing tx requests or reposting rx buffers). */
    public long notifications()
    {
        return notifications.sum();
    }

    /** @return the backend's events handled: {@link #received()} divided by this is frames per wake-up. */
    public long events()
    {
        return events.sum();
    }

    /** @return sends refused with {@code -EAGAIN} because every tx buffer was in flight. */
    public long txRingFull()
    {
        return txRingFull.sum();
    }

    /** @return the xenbus frontend (its state and the backend's). */
    public XenbusFrontend xenbus()
    {
        return lifecycle.xenbus();
    }

    /** Detach (Closing, then Closed once the backend let go); off a vCPU it goes through vCPU 0 ({@link FrontendLifecycle#close}). */
    public void close()
    {
        lifecycle.close();
    }

    /** The domain shuts down (vCPU thread): detach and wait, at most {@link #SHUTDOWN_WAIT_MS}, until Closed. */
    public void shutdown()
    {
        lifecycle.shutdown();
    }

    /** The kernel stopped: forget the device. */
    public void stop()
    {
        lifecycle.stop();
        connected = false;
    }

    /** The backend's event, on vCPU 0: free answered tx buffers, deliver received frames, repost their buffers. */
    private void onEvent()
    {
        final NetfrontRings current;
        synchronized (txLock)
        {
            current = rings;
            if (current != null)
            {
                reapTx();
            }
        }
        events.increment();
        if (current != null && receiveAll(current))
        {
            notifyBackend(current.port());
        }
    }

    private void notifyBackend(final int port)
    {
        notifications.increment();
        ctx.hypercalls().evtchnNotify(port);
    }

    /** Under the tx lock. */
    private void reapTx()
    {
        do
        {
            while (rings.tx().copyResponse(txCopy, 0))
            {
                if (NetifSlots.txResponseStatus(txCopy, 0) != NetifTxResponseDescriptor.STATUS_OKAY)
                {
                    txErrors.increment();
                }
                rings.releaseTx(NetifSlots.txResponseId(txCopy, 0));
            }
        }
        while (rings.tx().finalCheckForResponses());
        if (txWaiter != null && rings.hasFreeTx())
        {
            final TaskHandle waiter = txWaiter;
            txWaiter = null;
            waiter.wake();
        }
    }

    /**
     * Deliver every frame the backend answered, reposting their buffers in batches of
     * {@link #RX_REPOST_BATCH} as it goes, so the backend finds buffers posted while this vCPU is
     * still busy with the rest (the rx ring never runs dry under a stream).
     *
     * @return whether the backend must be told of the last reposted buffers.
     */
    private boolean receiveAll(final NetfrontRings current)
    {
        int unpushed = 0;
        do
        {
            while (current.rx().copyResponse(rxCopy, 0))
            {
                final int id = rxResponse.id();
                final int status = rxResponse.status();
                if (id >= NetifRing.RX_ENTRIES)
                {
                    rxErrors.increment();
                    continue;
                }
                if (status > 0 && rxResponse.pageOffset() + status <= org.coopvm.rings.mem.Pages.PAGE_SIZE)
                {
                    deliver(current.rxBuffer(id), rxResponse.pageOffset(), status);
                }
                else
                {
                    rxErrors.increment();
                }
                current.postRx(id);
                if (++unpushed == RX_REPOST_BATCH)
                {
                    unpushed = 0;
                    if (current.rx().pushRequestsAndCheckNotify())
                    {
                        notifyBackend(current.port());
                    }
                }
            }
        }
        while (current.rx().finalCheckForResponses());
        return unpushed > 0 && current.rx().pushRequestsAndCheckNotify();
    }

    private void deliver(final DirectBuffer page, final int offset, final int length)
    {
        received.increment();
        try
        {
            handler.onFrame(page, offset, length);
        }
        catch (final RuntimeException ex)
        {
            handlerErrors.increment();
        }
    }

    private NetfrontRings takeRings()
    {
        synchronized (txLock)
        {
            final NetfrontRings old = rings;
            rings = null;
            connected = false;
            return old;
        }
    }

    private void release(final NetfrontRings old)
    {
        if (old != null)
        {
            old.release(ctx);
        }
    }
}
