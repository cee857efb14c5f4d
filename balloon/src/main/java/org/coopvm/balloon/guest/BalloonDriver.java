package org.coopvm.balloon.guest;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.coopvm.rings.hypercall.Errno;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The guest balloon driver: moves the frames the guest holds towards the toolstack's
 * {@code memory/target}, one batch per step, after Linux's {@code drivers/xen/balloon.c}
 * ({@code balloon_thread}, {@code increase_reservation}, {@code decrease_reservation},
 * {@code update_schedule}, {@code balloon_set_new_target}).
 *
 * <ul>
 *   <li><b>Current</b> is the frames the guest holds: its {@code maxFrames} frame numbers minus
 *       the ballooned ones. At boot the frames it was not given (memory below {@code maxmem})
 *       start ballooned, as Linux's {@code balloon_add_regions} does.</li>
 *   <li><b>Inflate</b> (current above target): take up to 512 frames from the
 *       {@link FrameSource} (it never takes the guest into out-of-memory) and
 *       {@code decrease_reservation} them. Frames the hypervisor did not release go back to the
 *       allocator.</li>
 *   <li><b>Deflate</b> (current below target): {@code populate_physmap} up to 512 ballooned
 *       frames, most recently ballooned first, and give the populated ones to the allocator.</li>
 *   <li><b>Partial success</b> keeps what was done; the next step continues at once. A step that
 *       moves no frame is a failure: retry after 1, 2, 4, 8, 16, 32 s, give up after
 *       {@link BalloonConfig#maxRetries()} retries until the target changes
 *       ({@link RetryBackoff}). Progress resets the schedule (Linux's {@code BP_DONE}).</li>
 *   <li><b>Target</b>: KiB, rounded down to frames (Linux: {@code target >> (PAGE_SHIFT - 10)}),
 *       clamped to the floor and to {@code maxFrames} with the reason recorded. Text that is not
 *       a KiB count is ignored with a {@link KibRejection}. A write of the value already
 *       followed changes nothing, so a driver that gave up resumes only when the target changes
 *       (Linux wakes only when the credit changes).</li>
 *   <li><b>Floor</b>: the higher of the host's minimum ({@link #setHostFloorKib(long)}) and what
 *       the guest declares it needs ({@link #declareNeedKib(long)}), rounded up to frames.</li>
 *   <li><b>Deflate under pressure</b>, when negotiated (xenstore
 *       {@code memory/deflate-on-pressure} = {@code 1}, or {@link BalloonConfig#deflateOnPressure()}):
 *       each {@link #notifyPressure()} takes back up to 256 frames (virtio-balloon's OOM
 *       notifier, {@code VIRTIO_BALLOON_OOM_NR_PAGES}), counts it, and holds the guest at its
 *       new size until the target changes, so the driver does not inflate straight back into
 *       the pressure (virtio's driver likewise re-inflates only on a new configuration). Xen's
 *       Linux driver has no such path; this is CoopVM's, negotiated per domain.</li>
 * </ul>
 *
 * <p>Threads. The driver's thread (the vCPU running {@link BalloonTask}, or an Agrona
 * {@code AgentRunner}) calls {@link #doWork()} and {@link #wakeDeadlineNs()}; it alone calls
 * the {@link FrameSource} and the {@link Reservation}. Any thread may call the input methods
 * ({@link #offerTarget(CharSequence)}, {@link #setHostFloorKib(long)},
 * {@link #declareNeedKib(long)}, {@link #negotiateDeflateOnPressure(boolean)},
 * {@link #notifyPressure()}) and {@link #status()}: inputs are posted, the driver's thread is
 * woken through {@link #wakeWith(Runnable)}, and the next step acts on them. A step never
 * blocks beyond one hypercall; a converged driver asks for no wake-up at all.
 */
public final class BalloonDriver implements Agent
{
    /** {@link #wakeDeadlineNs()}: step again now. */
    public static final long RUN_NOW = Long.MIN_VALUE;
    /** {@link #wakeDeadlineNs()}: nothing to do until an input arrives. */
    public static final long NEVER = Long.MAX_VALUE;

    private enum Phase
    {
        IDLE, WORKING, BACKING_OFF, GAVE_UP
    }

    private record OfferedTarget(long kib, long atNs)
    {
    }

    private final BalloonConfig config;
    private final FrameSource frames;
    private final Reservation reservation;
    private final NanoClock clock;
    private final BalloonedFrames ballooned;
    private final RetryBackoff backoff;
    private final int[] frameList;

    private final AtomicReference<OfferedTarget> offeredTarget = new AtomicReference<>();
    private final AtomicInteger pendingPressure = new AtomicInteger();
    private final AtomicLong pressureSignalsIgnored = new AtomicLong();
    private final AtomicLong targetsRejected = new AtomicLong();
    private volatile KibRejection lastRejection = KibRejection.NONE;
    private volatile long hostFloorKib;
    private volatile long guestNeedKib;
    private volatile boolean deflateOnPressure;
    private volatile Runnable waker = () -> { };
    private volatile BalloonStatus published;

    private Phase phase = Phase.IDLE;
    private long requestedKib;
    private int clampedFrames;
    private int targetFrames;
    private int floorFrames;
    private int pressureHoldFrames;
    private TargetClamp clamp = TargetClamp.NONE;
    private BalloonOutcome outcome = BalloonOutcome.NONE;
    private BalloonFailure lastFailure = BalloonFailure.NONE;
    private int lastErrno;
    private long targetChangedAtNs;
    private long timeTakenNs = -1;
    private long pressureDeflates;
    private long pressureFramesReleased;
    private long framesInflated;
    private long framesDeflated;
    private long targetsAccepted;

    /**
     * @param config      batch size, retry schedule, pressure step, declared need.
     * @param frames      the guest's page allocator.
     * @param reservation the {@code memory_op} hypercalls.
     * @param clock       the kernel's clock (timers use the same one).
     * @param maxFrames   the guest's frame numbers, {@code memory/static-max} in frames.
     * @param unpopulated frames the guest was not given at boot: they start ballooned.
     */
    public BalloonDriver(
        final BalloonConfig config,
        final FrameSource frames,
        final Reservation reservation,
        final NanoClock clock,
        final int maxFrames,
        final int[] unpopulated)
    {
        this.config = config;
        this.frames = frames;
        this.reservation = reservation;
        this.clock = clock;
        this.ballooned = new BalloonedFrames(maxFrames);
        this.backoff = new RetryBackoff(TimeUnit.MILLISECONDS.toNanos(config.initialRetryDelayMs()),
            TimeUnit.MILLISECONDS.toNanos(config.maxRetryDelayMs()), config.maxRetries());
        this.frameList = new int[Math.max(config.batchFrames(), config.pressureDeflateFrames())];
        this.guestNeedKib = config.guestNeedKib();
        this.deflateOnPressure = config.deflateOnPressure();
        for (final int gpfn : unpopulated)
        {
            ballooned.push(gpfn);
        }
        requestedKib = (long)currentFrames() * BalloonStatus.KIB_PER_FRAME;
        targetChangedAtNs = clock.nanoTime();
        floorFrames = floorFramesNow();
        recomputeTarget();
        if (targetFrames != currentFrames())
        {
            phase = Phase.WORKING;
            outcome = BalloonOutcome.IN_PROGRESS;
        }
        publish();
    }

    // ---------------------------------------------------------------- inputs, any thread

    /**
     * Set how the driver's thread is woken when an input arrives (the task's
     * {@code TaskHandle::wake}). Wakes it once, so an input posted before this call is not lost.
     *
     * @param wake cheap, non-blocking, callable from any thread.
     */
    public void wakeWith(final Runnable wake)
    {
        waker = wake;
        wake.run();
    }

    /**
     * A {@code memory/target} write: KiB as a decimal string. Any thread (the xenstore watch's).
     *
     * @param kibText the node's value; {@code null} when the node is gone.
     * @return {@link KibRejection#NONE} when posted to the driver, else why it was ignored
     *         (counted in {@link BalloonStatus#targetsRejected()}; the driver's state is unchanged).
     */
    public KibRejection offerTarget(final CharSequence kibText)
    {
        final KibValue value = KibValue.parse(kibText);
        if (!value.isValid())
        {
            lastRejection = value.rejection();
            targetsRejected.incrementAndGet();
            return value.rejection();
        }
        offeredTarget.set(new OfferedTarget(value.kib(), clock.nanoTime()));
        waker.run();
        return KibRejection.NONE;
    }

    /**
     * The host's minimum for this domain ({@code minmem}). Any thread.
     *
     * @param kib KiB, {@code >= 0}; 0 for none.
     */
    public void setHostFloorKib(final long kib)
    {
        hostFloorKib = requireKib(kib);
        waker.run();
    }

    /**
     * What the guest declares it needs: the driver never inflates below it. Any thread.
     *
     * @param kib KiB, {@code >= 0}.
     */
    public void declareNeedKib(final long kib)
    {
        guestNeedKib = requireKib(kib);
        waker.run();
    }

    /**
     * Whether the host negotiated deflate under pressure ({@code memory/deflate-on-pressure}).
     * Any thread.
     *
     * @param on {@code true} when negotiated.
     */
    public void negotiateDeflateOnPressure(final boolean on)
    {
        deflateOnPressure = on;
        waker.run();
    }

    /**
     * The page allocator is under pressure (an allocation failed, or available memory fell
     * below its watermark). Any thread; cheap, never blocks. When deflate under pressure is
     * negotiated the next step takes frames back; otherwise the signal is only counted.
     */
    public void notifyPressure()
    {
        if (!deflateOnPressure)
        {
            pressureSignalsIgnored.incrementAndGet();
            return;
        }
        pendingPressure.incrementAndGet();
        waker.run();
    }

    /** @return the latest snapshot. Any thread. */
    public BalloonStatus status()
    {
        return published.withInputs(targetsRejected.get(), lastRejection, pressureSignalsIgnored.get(), deflateOnPressure);
    }

    // ---------------------------------------------------------------- the driver's thread

    /**
     * One step: at most one batch. Pending pressure signals come first, one per step, before
     * any target posted meanwhile is taken, so a target written after a signal supersedes its
     * hold; then posted inputs, then one batch towards the target.
     *
     * @return frames moved plus inputs and signals acted on; 0 when there was nothing to do.
     */
    @Override
    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        final int work = pendingPressure.get() > 0 ? relievePressure(nowNs) : takeInputs() + stepTowardsTarget(nowNs);
        if (work > 0)
        {
            publish();
        }
        return work;
    }

    /**
     * @return {@link #RUN_NOW} when there is more to do, the clock time of the next retry while
     *         backing off, or {@link #NEVER} when idle (converged, or given up).
     */
    public long wakeDeadlineNs()
    {
        if (phase == Phase.WORKING || pendingPressure.get() > 0 || offeredTarget.get() != null ||
            floorFrames != floorFramesNow())
        {
            return RUN_NOW;
        }
        return phase == Phase.BACKING_OFF ? backoff.retryAtNs() : NEVER;
    }

    /**
     * @param gpfn a frame number.
     * @return whether the frame is ballooned (the guest does not hold it). The driver's thread.
     */
    public boolean isBallooned(final int gpfn)
    {
        return ballooned.contains(gpfn);
    }

    /** @return {@code "balloon"}. */
    @Override
    public String roleName()
    {
        return "balloon";
    }

    private int takeInputs()
    {
        int work = 0;
        final OfferedTarget offered = offeredTarget.getAndSet(null);
        if (offered != null && (offered.kib() != requestedKib || pressureHoldFrames > 0))
        {
            requestedKib = offered.kib();
            targetChangedAtNs = offered.atNs();
            pressureHoldFrames = 0;
            targetsAccepted++;
            recomputeTarget();
            restart();
            work++;
        }
        final int floor = floorFramesNow();
        if (floor != floorFrames)
        {
            floorFrames = floor;
            final int before = targetFrames;
            recomputeTarget();
            if (targetFrames != before)
            {
                restart();
            }
            work++;
        }
        return work;
    }

    private int stepTowardsTarget(final long nowNs)
    {
        if (phase == Phase.BACKING_OFF && nowNs - backoff.retryAtNs() >= 0)
        {
            phase = Phase.WORKING;
        }
        if (phase != Phase.WORKING)
        {
            return 0;
        }
        final int credit = targetFrames - currentFrames();
        final int moved = credit < 0 ? inflate(Math.min(config.batchFrames(), -credit)) :
            credit > 0 ? deflate(Math.min(config.batchFrames(), credit)) : 0;
        if (targetFrames == currentFrames())
        {
            converge(nowNs);
        }
        else if (moved > 0)
        {
            backoff.reset();
        }
        else
        {
            fail(nowNs);
        }
        return Math.max(moved, 1);
    }

    private int relievePressure(final long nowNs)
    {
        pendingPressure.decrementAndGet();
        final int want = deflateOnPressure ? Math.min(config.pressureDeflateFrames(), ballooned.size()) : 0;
        final int done = want == 0 ? 0 : populate(want);
        if (done > 0)
        {
            pressureDeflates++;
            pressureFramesReleased += done;
            pressureHoldFrames = currentFrames();
            recomputeTarget();
            if (targetFrames == currentFrames())
            {
                converge(nowNs);
            }
        }
        return 1 + done;
    }

    private int inflate(final int want)
    {
        final int taken = frames.offline(frameList, want);
        if (taken <= 0)
        {
            recordFailure(BalloonFailure.GUEST_SHORT, 0);
            return 0;
        }
        if (taken > want)
        {
            throw new IllegalStateException("the frame source gave " + taken + " frames when asked for " + want);
        }
        final int rc = reservation.decrease(frameList, taken);
        final int done = done(rc, taken);
        if (done == 0)
        {
            recordFailure(BalloonFailure.REFUSED, Math.min(rc, 0));
        }
        for (int i = 0; i < done; i++)
        {
            ballooned.push(frameList[i]);
        }
        if (done < taken)
        {
            System.arraycopy(frameList, done, frameList, 0, taken - done);
            frames.online(frameList, taken - done);
        }
        framesInflated += done;
        return done;
    }

    private int deflate(final int want)
    {
        return populate(want);
    }

    private int populate(final int want)
    {
        final int n = ballooned.peek(frameList, want);
        final int rc = reservation.populate(frameList, n);
        final int done = done(rc, n);
        if (done == 0)
        {
            recordFailure(populateFailure(rc), Math.min(rc, 0));
        }
        ballooned.drop(done);
        if (done > 0)
        {
            frames.online(frameList, done);
        }
        framesDeflated += done;
        return done;
    }

    private static BalloonFailure populateFailure(final int rc)
    {
        if (rc == -Errno.E2BIG)
        {
            return BalloonFailure.ABOVE_MAXMEM;
        }
        return rc == 0 || rc == -Errno.ENOMEM ? BalloonFailure.HOST_SHORT : BalloonFailure.REFUSED;
    }

    private static int done(final int rc, final int asked)
    {
        return rc < 0 ? 0 : Math.min(rc, asked);
    }

    private void recordFailure(final BalloonFailure failure, final int errno)
    {
        lastFailure = failure;
        lastErrno = errno;
    }

    private void restart()
    {
        backoff.reset();
        lastFailure = BalloonFailure.NONE;
        lastErrno = 0;
        outcome = BalloonOutcome.IN_PROGRESS;
        timeTakenNs = -1;
        phase = Phase.WORKING;
    }

    private void converge(final long nowNs)
    {
        phase = Phase.IDLE;
        backoff.reset();
        timeTakenNs = nowNs - targetChangedAtNs;
        outcome = targetFrames > clampedFrames && pressureHoldFrames == targetFrames ?
            BalloonOutcome.DEFLATED_UNDER_PRESSURE : clampOutcome(clamp);
    }

    private void fail(final long nowNs)
    {
        if (backoff.onFailure(nowNs))
        {
            phase = Phase.BACKING_OFF;
            return;
        }
        phase = Phase.GAVE_UP;
        outcome = BalloonOutcome.GAVE_UP;
        timeTakenNs = nowNs - targetChangedAtNs;
    }

    private static BalloonOutcome clampOutcome(final TargetClamp clamp)
    {
        return switch (clamp)
        {
            case NONE -> BalloonOutcome.REACHED;
            case BELOW_FLOOR -> BalloonOutcome.BELOW_FLOOR;
            case ABOVE_MAXMEM -> BalloonOutcome.ABOVE_MAXMEM;
        };
    }

    /** Clamp the request to the floor and the maximum; a pressure hold raises the result. */
    private void recomputeTarget()
    {
        final long requestedFrames = requestedKib / BalloonStatus.KIB_PER_FRAME;
        if (requestedFrames > ballooned.maxFrames())
        {
            clamp = TargetClamp.ABOVE_MAXMEM;
            clampedFrames = ballooned.maxFrames();
        }
        else if (requestedFrames < floorFrames)
        {
            clamp = TargetClamp.BELOW_FLOOR;
            clampedFrames = floorFrames;
        }
        else
        {
            clamp = TargetClamp.NONE;
            clampedFrames = (int)requestedFrames;
        }
        targetFrames = Math.max(clampedFrames, pressureHoldFrames);
    }

    private int floorFramesNow()
    {
        final long kib = Math.max(hostFloorKib, guestNeedKib);
        final long frames = (kib + BalloonStatus.KIB_PER_FRAME - 1) / BalloonStatus.KIB_PER_FRAME;
        return (int)Math.min(frames, ballooned.maxFrames());
    }

    private int currentFrames()
    {
        return ballooned.maxFrames() - ballooned.size();
    }

    private void publish()
    {
        published = new BalloonStatus(currentFrames(), targetFrames, requestedKib, floorFrames, ballooned.maxFrames(),
            ballooned.size(), clamp, outcome, lastFailure, lastErrno, backoff.retries(), targetChangedAtNs, timeTakenNs,
            false, pressureDeflates, pressureFramesReleased, 0, framesInflated, framesDeflated,
            targetsAccepted, 0, KibRejection.NONE);
    }

    private static long requireKib(final long kib)
    {
        if (kib < 0)
        {
            throw new IllegalArgumentException("KiB must be >= 0: " + kib);
        }
        return kib;
    }
}
