package org.coopvm.drivers.net;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.agrona.concurrent.status.AtomicCounter;
import org.coopvm.drivers.RingIdleStrategy;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.rings.mem.Pages;
import org.coopvm.rings.netif.NetifRing;
import org.coopvm.rings.netif.NetifRxResponse;
import org.coopvm.rings.netif.NetifSlots;
import org.coopvm.rings.netif.NetifTxRequest;
import org.coopvm.rings.netif.NetifTxRequestDescriptor;
import org.coopvm.rings.netif.NetifTxResponseDescriptor;
import org.coopvm.rings.xen.BackRing;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One connected vif in dom0, served by its own agent thread ({@code netback-<domid>-<handle>}):
 * <ul>
 *   <li>tx: copy each request slot once, validate the copy (flags, {@code 14 <= size <= MTU + 14},
 *       {@code offset + size <= 4096}), pass the rate limiter (a frame without tokens waits, the
 *       ring is not consumed further), hand the frame in the granted page to the {@link NetSwitch}
 *       (which reads its header once into private memory), answer OKAY (ERROR for a grant that
 *       does not map, DROPPED for a malformed request, counted by reason); at the end of the batch
 *       (at most 64 requests) the ports frames were offered to are flushed, then the tx
 *       responses pushed;</li>
 *   <li>rx, the fast path: a frame for this vif is copied by the sending vif's agent straight from
 *       the sender's granted page into the next page this guest posted with an rx request (one
 *       copy, as Xen's netback does with {@code GNTTABOP_copy}), answered with its byte count; the
 *       responses are pushed every 32 frames of a sender's batch and at its end ({@link #flush}),
 *       notifying the guest if it asked;</li>
 *   <li>rx, the slow path: when the guest has no buffer posted (or frames already wait), the frame
 *       is copied into this vif's inbox (a ring buffer; full: dropped and counted) and copied into
 *       the guest's next posted buffers, in order, by the next sender's delivery or by this agent,
 *       whichever comes first.</li>
 * </ul>
 * The rx ring, its mapped pages and the inbox's reading are guarded by one lock ({@code rxLock}),
 * so any vif's agent may fill them; the tx ring is this agent's alone. Responses go out with Xen's
 * push-and-check-notify on one event channel. A {@code req_prod} that overruns either ring stops
 * the vif; the control agent then disconnects it.
 *
 * <p>Threading: {@link #doWork} on the agent thread; {@link #deliver} and {@link #flush} from any
 * vif's agent; {@link #wake} from dom0's event sink; {@link #start} and {@link #close} by the
 * control agent.
 */
final class NetbackRing implements Agent, SwitchPort, AutoCloseable
{
    /** Longest park of an idle vif agent, in milliseconds. */
    static final long IDLE_PARK_MS = 1_000;
    /** Bytes of a vif's receive queue. */
    static final int INBOX_BYTES = 1 << 20;
    private static final int BATCH = 64;
    /** Frames copied into a receiver's buffers between two pushes of its rx responses. */
    private static final int RX_PUSH_EVERY = 32;
    private static final int FRAME_MSG = 1;

    private final Hypervisor hypervisor;
    private final String name;
    private final int domid;
    private final int port;
    private final int switchPort;
    private final NetSwitch netSwitch;
    private final VifCounters counters;
    private final RateLimiter limiter;
    private final NanoClock clock;
    private final int maxFrame;
    private final Runnable onHostile;
    private final RingPage[] ringPages;
    private final BackRing tx;
    private final BackRing rx;
    private final MappedGrants txPages;
    private final MappedGrants rxPages;
    private final ManyToOneRingBuffer inbox = new ManyToOneRingBuffer(
        new UnsafeBuffer(ByteBuffer.allocateDirect(INBOX_BYTES + RingBufferDescriptor.TRAILER_LENGTH)));
    private final UnsafeBuffer txCopy = new UnsafeBuffer(new byte[NetifRing.TX_SLOT_LENGTH]);
    private final NetifTxRequest txRequest = new NetifTxRequest().wrap(txCopy, 0);
    private final UnsafeBuffer rxCopy = new UnsafeBuffer(new byte[NetifRing.RX_SLOT_LENGTH]);
    private final NetifRxResponse rxResponse = new NetifRxResponse();
    private final DeliveryBatch batch = new DeliveryBatch();
    private final ControlledMessageHandler toGuest = this::copyToGuest;
    private final Object rxLock = new Object();
    private final RingIdleStrategy idle;
    private volatile Thread thread;
    private volatile boolean hostile;
    private volatile boolean rxFault;
    private boolean txHeld;
    private long rateWaitNs;
    private int rxDelivered;
    private int rxUnpushed;
    private int rxFramesUnpushed;
    private long rxBytesUnpushed;
    private int txFrames;
    private long txBytes;
    private boolean rxClosed;
    private AgentRunner runner;

    /** A mapped ring page: its buffer and its dom0 mapping handle. */
    record RingPage(AtomicBuffer buffer, int handle)
    {
    }

    NetbackRing(final Hypervisor hypervisor, final VifDevice device, final RingPage txRing, final RingPage rxRing, final int port,
        final NetSwitch netSwitch, final Runnable onHostile)
    {
        this.hypervisor = hypervisor;
        this.name = "netback-" + device.domid + "-" + device.handle;
        this.domid = device.domid;
        this.port = port;
        this.switchPort = device.switchPort();
        this.netSwitch = netSwitch;
        this.counters = device.counters;
        this.clock = device.clock;
        this.limiter = device.limiter;
        this.maxFrame = device.mtu + NetifRing.ETH_HEADER_LENGTH;
        this.onHostile = onHostile;
        this.ringPages = new RingPage[] {txRing, rxRing};
        this.tx = BackRing.attach(txRing.buffer(), 0, NetifRing.RING_BYTES, NetifRing.TX_SLOT_LENGTH);
        this.rx = BackRing.attach(rxRing.buffer(), 0, NetifRing.RING_BYTES, NetifRing.RX_SLOT_LENGTH);
        this.txPages = new MappedGrants(hypervisor, domid, true, 2 * NetifRing.TX_ENTRIES);
        this.rxPages = new MappedGrants(hypervisor, domid, false, 2 * NetifRing.RX_ENTRIES);
        this.idle = new RingIdleStrategy(TimeUnit.MILLISECONDS.toNanos(IDLE_PARK_MS), true, () -> rateWaitNs);
    }

    /** Start the agent thread, route the port's events to it and join the switch. */
    void start()
    {
        runner = new AgentRunner(idle, throwable -> counters.add(VifCounters.Value.AGENT_ERRORS, 1), (AtomicCounter)null, this);
        AgentRunner.startOnThread(runner, Thread.ofPlatform().name(name).daemon(true).factory());
        hypervisor.dom0EventSink(port, p -> frontendNotified());
        netSwitch.attach(switchPort, this);
        wake();
    }

    @Override
    public void onStart()
    {
        thread = Thread.currentThread();
    }

    @Override
    public int doWork()
    {
        if (hostile)
        {
            return 0;
        }
        final int work = transmit() + receive();
        if (tx.fault().permanent() || rxFaulted())
        {
            hostile = true;
            onHostile.run();
            return work + 1;
        }
        if (work > 0 || !idle.parksNext())
        {
            return work; // still polling: a busy frontend needs no notification while the agent looks
        }
        final boolean more = !txHeld && tx.finalCheckForRequests();
        if (more || rxWaitsForBuffers())
        {
            return 1;
        }
        counters.add(VifCounters.Value.AGENT_PARKS, 1);
        return 0;
    }

    @Override
    public String roleName()
    {
        return name;
    }

    @Override
    public boolean deliver(final DirectBuffer header, final DirectBuffer source, final int offset, final int length)
    {
        synchronized (rxLock)
        {
            if (hostile || rxClosed)
            {
                counters.add(VifCounters.Value.DROPPED_RX_FULL, 1);
                return false;
            }
            if (inbox.size() > 0)
            {
                drainInbox(); // frames that waited go first, into buffers posted since
            }
            if (inbox.size() == 0 && nextRxRequest())
            {
                copyToPostedBuffer(header, source, offset, length);
                return true;
            }
            if (!queue(header, source, offset, length))
            {
                counters.add(VifCounters.Value.DROPPED_RX_FULL, 1);
                return false;
            }
            counters.add(VifCounters.Value.RX_QUEUED, 1);
        }
        wake(); // this agent copies it once the guest posts a buffer
        return true;
    }

    @Override
    public void flush()
    {
        synchronized (rxLock)
        {
            if (rxUnpushed > 0 && !rxClosed)
            {
                pushRx();
            }
        }
    }

    private void frontendNotified()
    {
        counters.add(VifCounters.Value.FRONTEND_EVENTS, 1);
        wake();
    }

    /** Wake the agent (the frontend notified, or a frame arrived). */
    void wake()
    {
        final Thread agent = thread;
        if (agent != null)
        {
            LockSupport.unpark(agent);
        }
    }

    /** @return whether the frontend overran a ring. */
    boolean isHostile()
    {
        return hostile;
    }

    /** @return the faulted ring's description, for the log. */
    String faultDescription()
    {
        synchronized (rxLock)
        {
            return tx.fault().permanent() ? "tx " + tx.faultDescription() : "rx " + rx.faultDescription();
        }
    }

    /** Leave the switch, stop the agent, then release the port, the mapped pages and the rings. */
    @Override
    public void close()
    {
        netSwitch.detach(switchPort);
        synchronized (rxLock)
        {
            rxClosed = true; // a sender that still holds this port drops from now on
        }
        hypervisor.removeDom0EventSink(port);
        if (runner != null)
        {
            idle.stopParking(thread);
            runner.close();
        }
        hypervisor.dom0Close(port);
        txPages.close();
        rxPages.close();
        for (final RingPage page : ringPages)
        {
            hypervisor.dom0Unmap(page.handle());
        }
    }

    /** @return tx requests answered. */
    private int transmit()
    {
        int served = 0;
        rateWaitNs = 0;
        final long nowNs = clock.nanoTime(); // one reading per batch: tokens refilled up to its start, never more
        while (served < BATCH && (txHeld || tx.copyRequest(txCopy, 0)))
        {
            txHeld = false;
            final short status = validate();
            if (status == NetifTxResponseDescriptor.STATUS_OKAY && !limiter.tryPass(txRequest.size(), nowNs))
            {
                txHeld = true;
                rateWaitNs = Math.max(1, limiter.waitNs(txRequest.size(), clock.nanoTime()));
                counters.add(VifCounters.Value.RATE_LIMITED, 1);
                break;
            }
            NetifSlots.putTxResponse(tx.buffer(), tx.claimResponse(), txRequest.id(),
                status == NetifTxResponseDescriptor.STATUS_OKAY ? send() : status);
            if (++served % RX_PUSH_EVERY == 0)
            {
                batch.flush(); // a receiver still busy with earlier frames goes on without sleeping
            }
        }
        if (served > 0)
        {
            batch.flush(); // the receivers see this batch's frames before the sender sees its buffers free
            counters.add(VifCounters.Value.TX_FRAMES, txFrames);
            counters.add(VifCounters.Value.TX_BYTES, txBytes);
            txFrames = 0;
            txBytes = 0;
            counters.add(VifCounters.Value.TX_BATCHES, 1);
            if (tx.pushResponsesAndCheckNotify())
            {
                notifyGuest();
            }
        }
        return served;
    }

    private short validate()
    {
        final int size = txRequest.size();
        if ((txRequest.flags() & (NetifTxRequestDescriptor.FLAG_MORE_DATA | NetifTxRequestDescriptor.FLAG_EXTRA_INFO)) != 0)
        {
            counters.add(VifCounters.Value.DROPPED_BAD_FLAGS, 1);
            return NetifTxResponseDescriptor.STATUS_DROPPED;
        }
        if (size < NetifRing.ETH_HEADER_LENGTH || size > maxFrame)
        {
            counters.add(VifCounters.Value.DROPPED_BAD_SIZE, 1);
            return NetifTxResponseDescriptor.STATUS_DROPPED;
        }
        if (txRequest.pageOffset() + size > Pages.PAGE_SIZE)
        {
            counters.add(VifCounters.Value.DROPPED_BAD_OFFSET, 1);
            return NetifTxResponseDescriptor.STATUS_DROPPED;
        }
        return NetifTxResponseDescriptor.STATUS_OKAY;
    }

    /** Switch the validated frame straight from the guest's page (the ports copy it where it goes). */
    private short send()
    {
        final AtomicBuffer page = txPages.page(txRequest.gref());
        if (page == null)
        {
            counters.add(VifCounters.Value.BAD_GRANTS, 1);
            return NetifTxResponseDescriptor.STATUS_ERROR;
        }
        final int size = txRequest.size();
        txFrames++; // counted once per batch, before its responses are pushed
        txBytes += size;
        netSwitch.forward(switchPort, page, txRequest.pageOffset(), size, batch);
        txPages.releaseTransient();
        return NetifTxResponseDescriptor.STATUS_OKAY;
    }

    /** @return frames copied from the inbox to the guest. */
    private int receive()
    {
        if (inbox.size() == 0)
        {
            return 0;
        }
        synchronized (rxLock)
        {
            final int delivered = drainInbox();
            if (rxUnpushed > 0)
            {
                pushRx();
            }
            return delivered;
        }
    }

    /** Under the rx lock: @return frames moved from the inbox into buffers the guest posted (not pushed yet). */
    private int drainInbox()
    {
        rxDelivered = 0;
        inbox.controlledRead(toGuest, NetifRing.RX_ENTRIES);
        return rxDelivered;
    }

    /** Under the rx lock. */
    private ControlledMessageHandler.Action copyToGuest(final int type, final MutableDirectBuffer buffer, final int index,
        final int length)
    {
        if (rxClosed || !nextRxRequest())
        {
            return ControlledMessageHandler.Action.ABORT; // no buffer posted: the frame waits in the inbox
        }
        copyToPostedBuffer(buffer, buffer, index, length);
        rxDelivered++;
        return ControlledMessageHandler.Action.COMMIT;
    }

    /**
     * Under the rx lock, with the guest's next rx request in {@code rxCopy}: copy the frame into
     * the page it posted (the header from {@code header}, the rest from {@code source}) and answer
     * the request with the byte count (ERROR for a grant that does not map).
     */
    private void copyToPostedBuffer(final DirectBuffer header, final DirectBuffer source, final int offset, final int length)
    {
        final int id = NetifSlots.rxRequestId(rxCopy, 0);
        final AtomicBuffer page = rxPages.page(NetifSlots.rxRequestGref(rxCopy, 0));
        rxResponse.wrap(rx.buffer(), rx.claimResponse());
        rxUnpushed++;
        if (page == null)
        {
            counters.add(VifCounters.Value.BAD_RX_GRANTS, 1);
            rxResponse.put(id, 0, 0, NetifTxResponseDescriptor.STATUS_ERROR);
            return;
        }
        final int headerOffset = header == source ? offset : 0;
        page.putBytes(0, header, headerOffset, NetSwitch.HEADER_LENGTH);
        page.putBytes(NetSwitch.HEADER_LENGTH, source, offset + NetSwitch.HEADER_LENGTH, length - NetSwitch.HEADER_LENGTH);
        rxPages.releaseTransient();
        rxResponse.put(id, 0, 0, length);
        rxFramesUnpushed++; // counted once per push
        rxBytesUnpushed += length;
    }

    /** Under the rx lock: a frame waits for a buffer the guest has not posted; the inbox keeps it. */
    private boolean queue(final DirectBuffer header, final DirectBuffer source, final int offset, final int length)
    {
        final int index = inbox.tryClaim(FRAME_MSG, length);
        if (index < 0)
        {
            return false;
        }
        final AtomicBuffer queued = inbox.buffer();
        queued.putBytes(index, header, 0, NetSwitch.HEADER_LENGTH);
        queued.putBytes(index + NetSwitch.HEADER_LENGTH, source, offset + NetSwitch.HEADER_LENGTH, length - NetSwitch.HEADER_LENGTH);
        inbox.commit(index);
        return true;
    }

    /** Under the rx lock: one push of the rx responses, notifying the guest if it asked. */
    private void pushRx()
    {
        counters.add(VifCounters.Value.RX_FRAMES, rxFramesUnpushed);
        counters.add(VifCounters.Value.RX_BYTES, rxBytesUnpushed);
        counters.add(VifCounters.Value.RX_BATCHES, 1);
        rxUnpushed = 0;
        rxFramesUnpushed = 0;
        rxBytesUnpushed = 0;
        if (rx.pushResponsesAndCheckNotify())
        {
            notifyGuest();
        }
    }

    /** Under the rx lock: @return whether the guest's next rx request is in {@code rxCopy} (false: none, or the ring faulted). */
    private boolean nextRxRequest()
    {
        if (rx.copyRequest(rxCopy, 0))
        {
            return true;
        }
        rxFault |= rx.fault().permanent();
        return false;
    }

    /** @return whether the rx ring faulted (found under the rx lock, on any vif's agent; read without it). */
    private boolean rxFaulted()
    {
        return rxFault;
    }

    /** Xen's final check on the rx ring, when frames wait in the inbox: @return whether buffers came meanwhile. */
    private boolean rxWaitsForBuffers()
    {
        synchronized (rxLock)
        {
            final boolean more = inbox.size() > 0 && rx.finalCheckForRequests();
            rxFault |= rx.fault().permanent();
            return more;
        }
    }

    private void notifyGuest()
    {
        hypervisor.dom0Send(port);
        counters.add(VifCounters.Value.NOTIFICATIONS, 1);
    }
}
