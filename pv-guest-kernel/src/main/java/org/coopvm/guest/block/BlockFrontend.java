package org.coopvm.guest.block;

import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.guest.mem.Allocation;
import org.coopvm.guest.driver.FrontendLifecycle;
import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.rings.blkif.BlkifDevice;
import org.coopvm.rings.blkif.BlkifRequest;
import org.coopvm.rings.blkif.BlkifRequestDescriptor;
import org.coopvm.rings.blkif.BlkifResponse;
import org.coopvm.rings.blkif.BlkifResponseDescriptor;
import org.coopvm.rings.blkif.BlkifRing;
import org.coopvm.rings.blkif.VirtualDevice;
import org.coopvm.rings.hypercall.Errno;
import org.coopvm.rings.xenbus.XenbusEnd;
import org.coopvm.rings.xenbus.XenbusFrontend;
import org.coopvm.rings.xenbus.XenstoreAccess;
import org.coopvm.rings.xenbus.XenstoreNumbers;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The guest's block frontend for one virtual disk (Linux's blkfront): a {@link BlockDevice} over a
 * blkif ring, set up through a {@link XenbusFrontend} whose driver this is. Once the backend waits
 * (InitWait) it allocates a ring of {@code min(maxRingPageOrder, backend's max-ring-page-order)}
 * contiguous pages, grants them to the backend, allocates the event channel and publishes
 * {@code ring-ref} (or {@code ring-page-order} and {@code ring-ref0..}), {@code event-channel},
 * {@code protocol} and {@code feature-persistent} with Initialised; once the backend is Connected
 * it reads {@code sectors}, {@code info} and the features and takes requests.
 *
 * <p>Requests wait in a FIFO until the ring has a free entry; each push uses Xen's
 * push-and-check-notify, so the backend is notified only when it asked (it sleeps). The event
 * handler (vCPU 0) consumes responses (Xen's final check), runs the completions, and then fills
 * the ring from the FIFO with one push for everything the completions submitted (at most one
 * notification, a hypercall, per batch). Response ids name a slot and its generation: a
 * response for no request in flight is counted ({@link #badResponses()}) and dropped.
 *
 * <p>When the backend closes or goes away, requests in flight and waiting complete with
 * {@code -ENOTCONN} (on vCPU 0), the port is closed and the ring's grants end (pages the backend
 * still maps are kept and freed later). If the backend comes back (InitWait) the frontend sets up
 * a new ring. {@link #close} detaches (Closing, then Closed once the backend let go);
 * {@link #shutdown} does the same and waits for it, at most {@link #SHUTDOWN_WAIT_MS}.
 *
 * <p>Thread safety: the {@link BlockDevice} methods from any thread (state under one lock, never
 * held across a hypercall or a completion); the event handler on vCPU 0; the xenbus callbacks where
 * {@link XenbusEnd} delivers them.
 */
public final class BlockFrontend implements BlockDevice, XenbusFrontend.Driver
{
    /** The ring page order the frontend asks for when the backend allows it: 4 pages, 128 entries. */
    public static final int DEFAULT_RING_PAGE_ORDER = 2;
    /**
     * Most segments of a read or write the frontend sends as one indirect request when the
     * backend offers {@code feature-max-indirect-segments}: Linux blkfront's default
     * ({@code max_indirect_segments = 32}, 128 KiB of 4 KiB pages).
     */
    public static final int MAX_INDIRECT_SEGMENTS = 32;
    /** Longest wait of {@link #shutdown} for the backend to let go, in milliseconds. */
    public static final long SHUTDOWN_WAIT_MS = FrontendLifecycle.SHUTDOWN_WAIT_MS;

    private static final System.Logger LOG = System.getLogger(BlockFrontend.class.getName());

    private final GuestContext ctx;
    private final VirtualDevice device;
    private final int maxRingPageOrder;
    private final Object lock = new Object();
    private final ArrayDeque<RingRequest> waiting = new ArrayDeque<>();
    private final List<BlkfrontRing> retiredRings = new ArrayList<>();
    private final List<BlockBuffer> retiredBuffers = new ArrayList<>();
    private final ArrayList<BlockOp> finished = new ArrayList<>();
    private final UnsafeBuffer responseCopy = new UnsafeBuffer(new byte[BlkifRing.SLOT_LENGTH]);
    private final BlkifResponse response = new BlkifResponse().wrap(responseCopy, 0);
    private final BlkifRequest request = new BlkifRequest();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder ringRequests = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder notifications = new LongAdder();
    private final LongAdder badResponses = new LongAdder();
    private final LongAdder callbackErrors = new LongAdder();
    private final FrontendLifecycle lifecycle;
    private volatile boolean connected;
    private volatile long sectors;
    private volatile int info;
    private volatile boolean flush;
    private volatile boolean barrier;
    private volatile boolean discard;
    private volatile int entries;
    private volatile int maxSegments = BlkifRequestDescriptor.MAX_SEGMENTS;
    private BlkfrontRing ring;
    private boolean dispatching;

    private BlockFrontend(final GuestContext ctx, final VirtualDevice device, final int maxRingPageOrder)
    {
        this.ctx = ctx;
        this.device = device;
        this.maxRingPageOrder = Math.clamp(maxRingPageOrder, 0, BlkifRing.MAX_RING_PAGE_ORDER);
        this.lifecycle = new FrontendLifecycle(ctx, this);
    }

    /**
     * Start the frontend of a disk the toolstack made: watch the backend (the handshake follows).
     *
     * @param ctx              the kernel's services.
     * @param xenstore         the guest's xenstore connection.
     * @param devicePath       the frontend directory, {@code /local/domain/<domid>/device/vbd/<number>}.
     * @param device           the virtual device.
     * @param maxRingPageOrder the largest ring the frontend asks for (0: one page).
     * @return the frontend.
     * @throws org.coopvm.rings.xenbus.XenstoreAccessException when the directory is incomplete.
     */
    public static BlockFrontend start(final GuestContext ctx, final XenstoreAccess xenstore, final String devicePath,
        final VirtualDevice device, final int maxRingPageOrder)
    {
        final BlockFrontend frontend = new BlockFrontend(ctx, device, maxRingPageOrder);
        frontend.lifecycle.start(xenstore, devicePath);
        return frontend;
    }

    @Override
    public Map<String, String> initialise(final XenbusEnd end)
    {
        retire(takeRing());
        final BlkfrontRing fresh = BlkfrontRing.create(ctx, end.otherDomid(), Math.min(maxRingPageOrder, backendMaxOrder(end)),
            (int)Math.min(decimal(end.readOther(BlkifDevice.FEATURE_MAX_INDIRECT_SEGMENTS)), MAX_INDIRECT_SEGMENTS));
        ctx.events().register(fresh.port(), port -> onEvent());
        synchronized (lock)
        {
            ring = fresh;
            entries = fresh.ring().entries();
            maxSegments = fresh.maxSegments();
        }
        return fresh.keys();
    }

    @Override
    public void connected(final XenbusEnd end)
    {
        final Optional<String> sectorSize = end.readOther(BlkifDevice.SECTOR_SIZE);
        if (sectorSize.isPresent() && !sectorSize.get().equals(Integer.toString(SECTOR_SIZE)))
        {
            LOG.log(System.Logger.Level.WARNING, "dom{0} {1}: sector-size {2} is not 512: not used", ctx.domid(), device.name(),
                sectorSize.get());
            return;
        }
        sectors = decimal(end.readOther(BlkifDevice.SECTORS));
        info = (int)decimal(end.readOther(BlkifDevice.INFO));
        flush = flag(end, BlkifDevice.FEATURE_FLUSH_CACHE);
        barrier = flag(end, BlkifDevice.FEATURE_BARRIER);
        discard = flag(end, BlkifDevice.FEATURE_DISCARD);
        connected = true;
    }

    @Override
    public void disconnected(final XenbusEnd end)
    {
        final List<BlockOp> abandoned = new ArrayList<>();
        final BlkfrontRing old;
        synchronized (lock)
        {
            connected = false;
            abandonAll(abandoned);
            old = ring;
            ring = null;
        }
        retire(old);
        completeOnVcpu0(abandoned);
    }

    @Override
    public String name()
    {
        return device.name();
    }

    @Override
    public int number()
    {
        return device.number();
    }

    @Override
    public boolean isConnected()
    {
        return connected;
    }

    @Override
    public long sectors()
    {
        return sectors;
    }

    @Override
    public boolean readOnly()
    {
        return (info & BlkifDevice.VDISK_READONLY) != 0;
    }

    @Override
    public boolean flushSupported()
    {
        return flush;
    }

    @Override
    public boolean barrierSupported()
    {
        return barrier;
    }

    @Override
    public boolean discardSupported()
    {
        return discard;
    }

    @Override
    public int ringEntries()
    {
        return entries;
    }

    @Override
    public Optional<BlockBuffer> allocateBuffer(final int pages)
    {
        final Optional<Allocation> memory = ctx.memory().allocatePages(pages).toOptional();
        if (memory.isEmpty())
        {
            return Optional.empty();
        }
        final int[] grefs = ctx.grants().grantPages(lifecycle.xenbus().end().otherDomid(), pages, memory.get()::frame, false);
        if (grefs == null)
        {
            ctx.memory().free(memory.get());
            return Optional.empty();
        }
        return Optional.of(new BlockBuffer(memory.get(), grefs));
    }

    @Override
    public void freeBuffer(final BlockBuffer buffer)
    {
        if (!release(buffer))
        {
            synchronized (lock)
            {
                retiredBuffers.add(buffer);
            }
        }
    }

    @Override
    public int read(final long sector, final BlockBuffer buffer, final long offset, final int count, final BlockCompletion done)
    {
        return transfer(BlkifRequestDescriptor.OP_READ, sector, buffer, offset, count, done);
    }

    @Override
    public int write(final long sector, final BlockBuffer buffer, final long offset, final int count, final BlockCompletion done)
    {
        return readOnly() ? -Errno.EROFS : transfer(BlkifRequestDescriptor.OP_WRITE, sector, buffer, offset, count, done);
    }

    @Override
    public int writeBarrier(final long sector, final BlockBuffer buffer, final long offset, final int count, final BlockCompletion done)
    {
        if (readOnly() || !barrier)
        {
            return readOnly() ? -Errno.EROFS : -Errno.EOPNOTSUPP;
        }
        return transfer(BlkifRequestDescriptor.OP_WRITE_BARRIER, sector, buffer, offset, count, done);
    }

    @Override
    public int flush(final BlockCompletion done)
    {
        if (readOnly() || !flush)
        {
            return readOnly() ? -Errno.EROFS : -Errno.EOPNOTSUPP;
        }
        return single(BlkifRequestDescriptor.OP_FLUSH_DISKCACHE, 0, 0, done);
    }

    @Override
    public int discard(final long sector, final long count, final BlockCompletion done)
    {
        if (readOnly() || !discard)
        {
            return readOnly() ? -Errno.EROFS : -Errno.EOPNOTSUPP;
        }
        if (connected && (sector < 0 || count < 1 || sector > sectors - count))
        {
            return -Errno.EINVAL;
        }
        return single(BlkifRequestDescriptor.OP_DISCARD, sector, count, done);
    }

    @Override
    public int maxSegmentsPerRequest()
    {
        return maxSegments;
    }

    @Override
    public int inFlight()
    {
        return inFlight.get();
    }

    /**
     * {@inheritDoc}
     *
     * <p>As every frontend does it ({@link FrontendLifecycle#close}): off a vCPU thread the request
     * goes to vCPU 0 as a task.
     */
    @Override
    public void close()
    {
        lifecycle.close();
    }

    /**
     * The domain shuts down (vCPU thread, before {@code SCHEDOP_shutdown}): detach and wait, at
     * most {@link #SHUTDOWN_WAIT_MS}, until Closed ({@link FrontendLifecycle#shutdown}).
     */
    public void shutdown()
    {
        lifecycle.shutdown();
    }

    /** The kernel stopped (no hypercalls, no xenstore any more): forget the device; the backend notices the domain going. */
    public void stop()
    {
        lifecycle.stop();
        connected = false;
    }

    /** @return the xenbus frontend (its state and the backend's). */
    public XenbusFrontend xenbus()
    {
        return lifecycle.xenbus();
    }

    /** @return ring requests pushed (a large request is several). */
    public long ringRequests()
    {
        return ringRequests.sum();
    }

    /** @return requests completed (failed ones included). */
    public long completed()
    {
        return completed.sum();
    }

    /** @return requests completed with an error. */
    public long failed()
    {
        return failed.sum();
    }

    /** @return notifications sent to the backend. */
    public long notifications()
    {
        return notifications.sum();
    }

    /** @return responses whose id named no request in flight. */
    public long badResponses()
    {
        return badResponses.sum();
    }

    /** @return completions that threw (a workload bug; counted and dropped). */
    public long callbackErrors()
    {
        return callbackErrors.sum();
    }

    private int transfer(final int operation, final long sector, final BlockBuffer buffer, final long offset, final int count,
        final BlockCompletion done)
    {
        if (!connected)
        {
            return -Errno.ENOTCONN;
        }
        if (buffer == null || count < 1 || offset < 0 || offset % SECTOR_SIZE != 0 ||
            offset + (long)count * SECTOR_SIZE > buffer.length() || sector < 0 || sector > sectors - count)
        {
            return -Errno.EINVAL;
        }
        final int segments = operation == BlkifRequestDescriptor.OP_READ || operation == BlkifRequestDescriptor.OP_WRITE
            ? maxSegments : BlkifRequestDescriptor.MAX_SEGMENTS;
        final List<RingRequest> parts = new ArrayList<>(1 + count / (segments * BlkifRequestDescriptor.SECTORS_PER_PAGE));
        final BlockOp op = new BlockOp(done);
        long at = offset;
        long next = sector;
        for (long left = count; left > 0; )
        {
            final int chunk = RingRequest.sectorsFrom(at, left, segments);
            parts.add(new RingRequest(operation, next, buffer, at, chunk, op));
            at += (long)chunk * SECTOR_SIZE;
            next += chunk;
            left -= chunk;
        }
        return enqueue(op, parts);
    }

    /** A request without data: a flush, or a discard of {@code count} sectors. */
    private int single(final int operation, final long sector, final long count, final BlockCompletion done)
    {
        final BlockOp op = new BlockOp(done);
        return enqueue(op, List.of(new RingRequest(operation, sector, null, 0, count, op)));
    }

    private int enqueue(final BlockOp op, final List<RingRequest> parts)
    {
        final int port;
        synchronized (lock)
        {
            if (!connected || ring == null)
            {
                return -Errno.ENOTCONN;
            }
            op.parts = parts.size();
            waiting.addAll(parts);
            inFlight.incrementAndGet();
            port = dispatching ? 0 : pushAndCheckNotify();
        }
        notifyBackend(port);
        return 0;
    }

    /** The backend's event, on vCPU 0: take the responses, run the completions, then refill the ring with one push. */
    private void onEvent()
    {
        synchronized (lock)
        {
            if (ring == null)
            {
                return;
            }
            consumeResponses();
            dispatching = true;
        }
        for (int i = 0; i < finished.size(); i++)
        {
            complete(finished.get(i));
        }
        finished.clear();
        final int port;
        synchronized (lock)
        {
            dispatching = false;
            port = ring == null ? 0 : pushAndCheckNotify();
        }
        notifyBackend(port);
    }

    private void consumeResponses()
    {
        do
        {
            while (ring.ring().copyResponse(responseCopy, 0))
            {
                final RingRequest answered = ring.complete(response.id());
                if (answered == null)
                {
                    badResponses.increment();
                }
                else if (answered.op.partDone(errno(response.status())))
                {
                    finished.add(answered.op);
                }
            }
        }
        while (ring.ring().finalCheckForResponses());
    }

    /**
     * Fill the ring from the FIFO and publish with Xen's push-and-check-notify.
     *
     * @return the port to notify the backend on, 0 when it did not ask.
     */
    private int pushAndCheckNotify()
    {
        boolean pushed = false;
        while (!waiting.isEmpty() && ring.hasFreeSlot())
        {
            ring.put(waiting.poll(), request, device.number() & 0xFFFF);
            ringRequests.increment();
            pushed = true;
        }
        return pushed && ring.ring().pushRequestsAndCheckNotify() ? ring.port() : 0;
    }

    private void notifyBackend(final int port)
    {
        if (port > 0)
        {
            notifications.increment();
            ctx.hypercalls().evtchnNotify(port);
        }
    }

    private void complete(final BlockOp op)
    {
        inFlight.decrementAndGet();
        completed.increment();
        if (op.status != 0)
        {
            failed.increment();
        }
        try
        {
            op.completion.completed(op.status);
        }
        catch (final RuntimeException ex)
        {
            callbackErrors.increment();
        }
    }

    private void abandonAll(final List<BlockOp> abandoned)
    {
        final List<RingRequest> left = new ArrayList<>(waiting);
        waiting.clear();
        if (ring != null)
        {
            for (final RingRequest inRing : ring.drain())
            {
                if (inRing != null)
                {
                    left.add(inRing);
                }
            }
        }
        for (final RingRequest part : left)
        {
            if (part.op.parts > 0)
            {
                part.op.abandon();
                abandoned.add(part.op);
            }
        }
    }

    private void completeOnVcpu0(final List<BlockOp> ops)
    {
        if (!ops.isEmpty() && !lifecycle.isStopped())
        {
            ctx.submit(0, task ->
            {
                ops.forEach(this::complete);
                return StepResult.DONE;
            });
        }
    }

    private BlkfrontRing takeRing()
    {
        synchronized (lock)
        {
            final BlkfrontRing old = ring;
            ring = null;
            connected = false;
            return old;
        }
    }

    /** A ring goes (outside the lock: it makes hypercalls): port closed, grants ended, kept for later if the backend still maps a page. */
    private void retire(final BlkfrontRing old)
    {
        final boolean freed = old == null || old.release(ctx);
        synchronized (lock)
        {
            if (!freed)
            {
                retiredRings.add(old);
            }
            retryRetired();
        }
    }

    private void retryRetired()
    {
        retiredRings.removeIf(old -> old.endGrantsAndFree(ctx));
        retiredBuffers.removeIf(this::release);
    }

    /** @return whether every grant of the buffer ended and its pages were freed. */
    private boolean release(final BlockBuffer buffer)
    {
        final boolean ended = ctx.grants().endAccessAll(buffer.grefs());
        if (ended)
        {
            ctx.memory().free(buffer.memory());
        }
        return ended;
    }

    private static int backendMaxOrder(final XenbusEnd end)
    {
        return (int)Math.min(decimal(end.readOther(BlkifDevice.MAX_RING_PAGE_ORDER)), BlkifRing.MAX_RING_PAGE_ORDER);
    }

    private static boolean flag(final XenbusEnd end, final String key)
    {
        return end.readOther(key).map("1"::equals).orElse(false);
    }

    /** @return the backend's decimal value, 0 when missing or not a number. */
    private static long decimal(final Optional<String> text)
    {
        return Math.max(0, XenstoreNumbers.decimal(text, Long.MAX_VALUE));
    }

    private static int errno(final short status)
    {
        return switch (status)
        {
            case BlkifResponseDescriptor.STATUS_OKAY -> 0;
            case BlkifResponseDescriptor.STATUS_EOPNOTSUPP -> -Errno.EOPNOTSUPP;
            default -> -Errno.EIO;
        };
    }
}
