package org.coopvm.guest.console;

import org.agrona.concurrent.AtomicBuffer;
import org.coopvm.guest.mem.Allocation;
import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.workload.ConsoleInputHandler;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.rings.console.ConsoleDevice;
import org.coopvm.rings.console.ConsoleRingDescriptor;
import org.coopvm.rings.console.ConsoleRingHalf;
import org.coopvm.rings.console.ConsoleRingReader;
import org.coopvm.rings.console.ConsoleRingWriter;
import org.coopvm.rings.domain.EventChannelBits;
import org.coopvm.rings.hypercall.Errno;
import org.coopvm.rings.xenbus.XenbusDevice;
import org.coopvm.rings.xenbus.XenbusEnd;
import org.coopvm.rings.xenbus.XenbusFrontend;
import org.coopvm.rings.xenbus.XenstoreAccess;
import org.coopvm.rings.xenbus.XenstoreAccessException;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The guest's console frontend ({@code hvc_xen}'s role): a Xen {@code io/console.h} ring in one
 * page of guest memory, granted to dom0 at the reserved ref 0, with an event channel allocated
 * unbound for dom0, announced to dom0 as the xenbus device {@code device/console/0}
 * ({@link ConsoleDevice}): {@link #start} sets the ring up and starts a {@link XenbusFrontend}
 * whose {@link XenbusFrontend.Driver} this is. Once dom0's backend waits (InitWait) the frontend
 * publishes {@code ring-ref} and {@code port} with Initialised; once the backend is Connected,
 * {@link #isBackendConnected()} turns true and the kernel's console moves to the ring; if the
 * backend closes or goes away it turns false again (the kernel's console goes back to
 * {@code console_io}).
 *
 * <p>Output: {@link #write} appends the bytes to a private FIFO (at most
 * {@link #PENDING_LIMIT_BYTES}), moves as much as fits into {@code out} and notifies dom0. When
 * the FIFO is full the writer waits for dom0's event ({@code SCHEDOP_poll} in slices of
 * 10 ms, re-checking the ring each time), at most the configured wait; then
 * it gives up on that write ({@code -EAGAIN}, counted), so bytes are dropped whole and never
 * reordered. dom0's event also flushes the FIFO (the handler runs on vCPU 0).
 *
 * <p>Input: on dom0's event the bytes in {@code in} are handed, in order, to the
 * {@link ConsoleInputHandler} on vCPU 0; without a handler they stay in the ring.
 *
 * <p>Thread safety: {@link #write} from any thread (output is serialised on an internal lock,
 * never held across a hypercall); the event handler on vCPU 0; the xenbus callbacks where
 * {@link org.coopvm.rings.xenbus.XenbusEnd} says (vCPU 0's xenstore upcall, or a thread whose
 * xenstore request read the event).
 */
public final class ConsoleFrontend implements XenbusFrontend.Driver
{
    /** Bytes of output kept privately while the ring is full, before writers wait. */
    public static final int PENDING_LIMIT_BYTES = 64 * 1024;
    /** How long a writer waits for room before dropping its bytes, by default. */
    public static final long DEFAULT_FULL_WAIT_MS = 5_000;
    static final long POLL_SLICE_MS = 10;
    private static final int INPUT_CHUNK = ConsoleRingDescriptor.IN_LENGTH;
    private static final int ACCEPTED = 1;
    private static final int FLUSHED = 2;

    private final GuestContext ctx;
    private final int port;
    private final Allocation ring;
    private final int ref;
    private final long fullWaitNs;
    private final EventChannelBits bits;
    private final ConsoleRingWriter out;
    private final ConsoleRingReader in;
    private final int[] pollPorts;
    private final Object outputLock = new Object();
    private final Object inputLock = new Object();
    private final byte[] inputChunk = new byte[INPUT_CHUNK];
    private final LongAdder droppedBytes = new LongAdder();
    private final LongAdder fullWaits = new LongAdder();
    private byte[] pending = new byte[4096];
    private int pendingStart;
    private int pendingEnd;
    private volatile ConsoleInputHandler inputHandler;
    private volatile boolean backendConnected;
    private volatile XenbusFrontend xenbus;

    private ConsoleFrontend(final GuestContext ctx, final int port, final Allocation ring, final int ref, final long fullWaitMs)
    {
        this.ctx = ctx;
        this.port = port;
        this.ring = ring;
        this.ref = ref;
        this.fullWaitNs = TimeUnit.MILLISECONDS.toNanos(fullWaitMs);
        this.bits = ctx.events().bits();
        final AtomicBuffer page = ring.page(0);
        this.out = new ConsoleRingWriter().wrap(page, ConsoleRingHalf.OUT);
        this.in = new ConsoleRingReader().wrap(page, ConsoleRingHalf.IN);
        this.pollPorts = new int[] {port};
    }

    /**
     * Set the console ring up and announce it on xenbus: check the toolstack made the device,
     * allocate the unbound port for dom0, a zeroed page, grant it at ref 0, register the event
     * handler, then start the xenbus frontend (which publishes ref and port when dom0 waits).
     *
     * @param ctx        the kernel's services.
     * @param xenstore   the guest's xenstore connection.
     * @param devicePath the frontend directory, {@code /local/domain/<domid>/device/console/0}.
     * @param fullWaitMs how long a writer waits for room before dropping its bytes.
     * @return the frontend.
     * @throws IllegalStateException naming the step that failed; what was set up is undone.
     */
    public static ConsoleFrontend start(final GuestContext ctx, final XenstoreAccess xenstore, final String devicePath,
        final long fullWaitMs)
    {
        if (xenstore.read(devicePath + "/" + XenbusDevice.STATE).isEmpty())
        {
            throw new IllegalStateException("console: the toolstack made no " + devicePath);
        }
        final ConsoleFrontend frontend = setUpRing(ctx, fullWaitMs);
        try
        {
            frontend.xenbus = XenbusFrontend.start(xenstore, devicePath, frontend);
            return frontend;
        }
        catch (final XenstoreAccessException ex)
        {
            frontend.tearDownRing();
            throw new IllegalStateException("console: xenbus: " + ex.getMessage(), ex);
        }
    }

    private static ConsoleFrontend setUpRing(final GuestContext ctx, final long fullWaitMs)
    {
        final long port = ctx.hypercalls().evtchnAllocUnbound(0);
        if (port <= 0)
        {
            throw new IllegalStateException("console: no event channel for dom0 (" + port + ")");
        }
        final Allocation ring = ctx.memory().allocatePages(1).toOptional().orElse(null);
        if (ring == null)
        {
            ctx.hypercalls().evtchnClose((int)port);
            throw new IllegalStateException("console: no free page for the ring");
        }
        final int ref = ctx.grants().grantReserved(ConsoleRingDescriptor.GNTTAB_RESERVED_CONSOLE, 0, ring.frame(0), false);
        if (ref < 0)
        {
            ctx.memory().free(ring);
            ctx.hypercalls().evtchnClose((int)port);
            throw new IllegalStateException("console: cannot grant the ring page (" + ref + ")");
        }
        final ConsoleFrontend frontend = new ConsoleFrontend(ctx, (int)port, ring, ref, fullWaitMs);
        ctx.events().register((int)port, p -> frontend.onEvent());
        return frontend;
    }

    private void tearDownRing()
    {
        ctx.events().unregister(port);
        ctx.hypercalls().evtchnClose(port);
        if (ctx.grants().endReserved(ref))
        {
            ctx.memory().free(ring);
        }
    }

    @Override
    public Map<String, String> initialise(final XenbusEnd end)
    {
        return Map.of(ConsoleDevice.RING_REF, Integer.toString(ref), ConsoleDevice.PORT, Integer.toString(port));
    }

    @Override
    public void connected(final XenbusEnd end)
    {
        backendConnected = true;
    }

    @Override
    public void disconnected(final XenbusEnd end)
    {
        backendConnected = false;
    }

    /** @return the xenbus frontend (its state and the backend's), {@code null} before {@link #start} returned. */
    public XenbusFrontend xenbus()
    {
        return xenbus;
    }

    /** @return whether dom0's backend is connected (output then goes to the ring). */
    public boolean isBackendConnected()
    {
        return backendConnected;
    }

    /**
     * Write console output, in order with every earlier write.
     *
     * @param bytes  the bytes.
     * @param offset where they start.
     * @param length how many.
     * @return 0, or {@code -EAGAIN} when the ring stayed full for the whole wait (the bytes are dropped).
     */
    public long write(final byte[] bytes, final int offset, final int length)
    {
        final long deadlineNs = System.nanoTime() + fullWaitNs;
        boolean waited = false;
        try
        {
            while (true)
            {
                final int offered = offer(bytes, offset, length);
                if ((offered & FLUSHED) != 0)
                {
                    ctx.hypercalls().evtchnNotify(port);
                }
                if ((offered & ACCEPTED) != 0)
                {
                    return 0;
                }
                final long nowNs = System.nanoTime();
                if (nowNs - deadlineNs >= 0)
                {
                    droppedBytes.add(length);
                    return -Errno.EAGAIN;
                }
                waited = true;
                fullWaits.increment();
                awaitRoom(Math.min(deadlineNs, nowNs + TimeUnit.MILLISECONDS.toNanos(POLL_SLICE_MS)));
            }
        }
        finally
        {
            if (waited)
            {
                redeliverInput();
            }
        }
    }

    /**
     * @param handler gets typed input on vCPU 0 (replaces a previous one).
     */
    public void onInput(final ConsoleInputHandler handler)
    {
        inputHandler = handler;
        redeliverInput();
    }

    /** @return the local port of the console event channel. */
    public int port()
    {
        return port;
    }

    /** @return the frame of the ring page. */
    public int frame()
    {
        return ring.frame(0);
    }

    /** @return bytes of output dropped because the ring stayed full. */
    public long droppedBytes()
    {
        return droppedBytes.sum();
    }

    /** @return times a writer waited for room. */
    public long fullWaits()
    {
        return fullWaits.sum();
    }

    /** @return times dom0's indices were corrupt (output or input). */
    public long corruptions()
    {
        final long output;
        synchronized (outputLock)
        {
            output = out.corruptions();
        }
        synchronized (inputLock)
        {
            return output + in.corruptions();
        }
    }

    /** @return whether output is still waiting, in the FIFO or in the ring. */
    public boolean hasUnsentOutput()
    {
        synchronized (outputLock)
        {
            return pendingEnd > pendingStart || !out.isDrained();
        }
    }

    private int offer(final byte[] bytes, final int offset, final int length)
    {
        synchronized (outputLock)
        {
            int result = flushLocked() ? FLUSHED : 0;
            final int queued = pendingEnd - pendingStart;
            if (queued > 0 && queued + length > PENDING_LIMIT_BYTES)
            {
                return result;
            }
            append(bytes, offset, length);
            if (flushLocked())
            {
                result |= FLUSHED;
            }
            return result | ACCEPTED;
        }
    }

    /** The FIFO is full: sleep until dom0's event or the deadline, unless the ring has room already. */
    private void awaitRoom(final long deadlineNs)
    {
        bits.clearPending(port);
        synchronized (outputLock)
        {
            if (out.free() != 0)
            {
                return;
            }
        }
        ctx.hypercalls().schedPoll(pollPorts, deadlineNs);
    }

    /** dom0's event, on vCPU 0: flush output, take input. */
    private void onEvent()
    {
        final boolean flushed;
        synchronized (outputLock)
        {
            flushed = flushLocked();
        }
        if (flushed)
        {
            ctx.hypercalls().evtchnNotify(port);
        }
        takeInput();
    }

    /** A writer's wait cleared the pending bit: input that arrived meanwhile is taken on vCPU 0. */
    private void redeliverInput()
    {
        if (inputHandler != null && in.hasUnread())
        {
            ctx.submit(0, task ->
            {
                takeInput();
                return StepResult.DONE;
            });
        }
    }

    private void takeInput()
    {
        final ConsoleInputHandler handler = inputHandler;
        if (handler == null)
        {
            return; // input waits in the ring for a handler
        }
        boolean took = false;
        synchronized (inputLock)
        {
            int read;
            while ((read = in.read(inputChunk, 0, inputChunk.length)) != 0)
            {
                if (read > 0)
                {
                    took = true;
                    handler.onInput(inputChunk, 0, read);
                }
            }
        }
        if (took)
        {
            ctx.hypercalls().evtchnNotify(port); // room in `in`: dom0 may have more
        }
    }

    private boolean flushLocked()
    {
        if (pendingEnd == pendingStart)
        {
            return false;
        }
        final int written = out.write(pending, pendingStart, pendingEnd - pendingStart);
        if (written <= 0)
        {
            return false;
        }
        pendingStart += written;
        if (pendingStart == pendingEnd)
        {
            pendingStart = 0;
            pendingEnd = 0;
        }
        return true;
    }

    private void append(final byte[] bytes, final int offset, final int length)
    {
        final int queued = pendingEnd - pendingStart;
        if (pendingEnd + length > pending.length)
        {
            final byte[] target = queued + length > pending.length ?
                new byte[Math.max(queued + length, 2 * pending.length)] : pending;
            System.arraycopy(pending, pendingStart, target, 0, queued);
            pending = target;
            pendingStart = 0;
            pendingEnd = queued;
        }
        System.arraycopy(bytes, offset, pending, pendingEnd, length);
        pendingEnd += length;
    }
}
