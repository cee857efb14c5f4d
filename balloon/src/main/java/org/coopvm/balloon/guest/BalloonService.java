package org.coopvm.balloon.guest;

import org.coopvm.guest.driver.RunningDriver;
import org.coopvm.guest.hypercall.HypercallAbortedException;
import org.coopvm.guest.mem.GuestMemory;
import org.coopvm.guest.mem.MemoryPressure;
import org.coopvm.guest.mem.MemoryPressureListener;
import org.coopvm.guest.task.TaskHandle;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.xenstore.XenstoreClient;
import org.coopvm.guest.xenstore.XenstoreException;
import org.coopvm.rings.xenstore.XsErrno;

/**
 * The balloon driver running in a guest kernel, wired as Linux's {@code xen-balloon}: a
 * {@link BalloonDriver} over the kernel's page allocator ({@link GuestMemoryFrames}) and its
 * {@code memory_op} hypercalls ({@link HypercallReservation}), stepped by a {@link BalloonTask} on
 * vCPU 0, fed by xenstore watches on the domain's
 * <ul>
 *   <li>{@value #TARGET} (KiB): each change is offered to the driver; text that is not a KiB
 *       count is ignored and logged;</li>
 *   <li>{@value #MINMEM} (KiB, written by the toolstack when the domain has {@code minmem}): the
 *       host's floor; a missing node is no floor;</li>
 *   <li>{@value #DEFLATE_ON_PRESSURE} ({@code 1} when the domain negotiated it, xl.cfg
 *       {@code deflate_on_pressure}): whether pressure signals take frames back.</li>
 * </ul>
 * The allocator's pressure listener (allocation stalls and out-of-memory results) calls
 * {@link BalloonDriver#notifyPressure()}. After each step the floor the driver enforces goes to
 * {@link GuestMemory#reservationFloorPages(long)} (the stats publisher reports it) and progress
 * goes to the console ({@link BalloonLog}).
 *
 * <p>Thread safety: {@link #start} on vCPU 0 at boot; watch callbacks on whichever thread
 * delivers them; {@link #status()} from any thread; {@link #stop()} once, by the kernel.
 */
public final class BalloonService implements RunningDriver
{
    /** The toolstack's target, KiB, relative to the domain's home. */
    public static final String TARGET = "memory/target";
    /** The host's floor, KiB (present only when the domain has {@code minmem}). */
    public static final String MINMEM = "memory/minmem";
    /** {@code 1} when deflate under memory pressure is negotiated. */
    public static final String DEFLATE_ON_PRESSURE = "memory/deflate-on-pressure";

    private static final System.Logger LOG = System.getLogger(BalloonService.class.getName());
    private static final int MAX_SHOWN_CHARS = 32;

    private final GuestContext ctx;
    private final XenstoreClient xenstore;
    private final GuestMemory memory;
    private final HypercallReservation reservation;
    private final BalloonDriver driver;
    private final BalloonLog log;
    private final MemoryPressureListener pressureListener;
    private volatile String rejectedText = "";
    private volatile TaskHandle task;

    private BalloonService(final GuestContext ctx, final XenstoreClient xenstore, final BalloonConfig config)
    {
        this.ctx = ctx;
        this.xenstore = xenstore;
        this.memory = ctx.memory();
        this.reservation = HypercallReservation.allocate(ctx.hypercalls(), memory);
        this.driver = new BalloonDriver(config, new GuestMemoryFrames(memory), reservation, ctx.clock(), memory.maxFrames(),
            GuestMemoryFrames.offlineAtBoot(memory));
        this.log = new BalloonLog(ctx.console(), ctx.clock(), driver.status());
        this.pressureListener = this::onPressure;
    }

    /**
     * Start the driver in a booted kernel: its task on vCPU 0, the pressure listener, the watches.
     *
     * @param ctx      the kernel's services; xenstore must be connected.
     * @param xenstore the kernel's xenstore client.
     * @param config   the driver's settings.
     * @return the running service.
     * @throws IllegalStateException when the guest has no page for the extent list.
     */
    public static BalloonService start(final GuestContext ctx, final XenstoreClient xenstore, final BalloonConfig config)
    {
        final BalloonService service = new BalloonService(ctx, xenstore, config);
        service.begin();
        return service;
    }

    /** @return the driver's latest status. Any thread. */
    public BalloonStatus status()
    {
        return driver.status();
    }

    /** Cancel the task, drop the pressure listener and give the extent list's page back. */
    @Override
    public void stop()
    {
        memory.removePressureListener(pressureListener);
        final TaskHandle handle = task;
        if (handle != null)
        {
            handle.cancel();
        }
        reservation.close();
    }

    private void begin()
    {
        final BalloonStatus initial = driver.status();
        memory.reservationFloorPages(initial.floorFrames());
        log.line("driver started: holding " + initial.currentKib() + " KiB of " +
            (long)initial.maxFrames() * BalloonStatus.KIB_PER_FRAME + " KiB maximum");
        task = BalloonTask.start(ctx::submit, driver, this::afterStep);
        memory.addPressureListener(pressureListener);
        try
        {
            xenstore.watch(MINMEM, "balloon-minmem", (path, token) -> readFloor());
            xenstore.watch(DEFLATE_ON_PRESSURE, "balloon-deflate", (path, token) -> readDeflateOnPressure());
            xenstore.watch(TARGET, "balloon-target", (path, token) -> readTarget());
        }
        catch (final RuntimeException ex)
        {
            stop();
            throw ex;
        }
    }

    /** The driver's vCPU, after each step. */
    private void afterStep()
    {
        final BalloonStatus status = driver.status();
        memory.reservationFloorPages(status.floorFrames());
        log.observe(status, rejectedText);
    }

    private void onPressure(final MemoryPressure pressure, final long pagesWanted)
    {
        driver.notifyPressure();
    }

    private void readTarget()
    {
        final String text = read(TARGET);
        if (driver.offerTarget(text) != KibRejection.NONE)
        {
            rejectedText = printable(text);
            wakeTask();
        }
    }

    private void readFloor()
    {
        final String text = read(MINMEM);
        final KibValue floor = KibValue.parse(text);
        if (text == null || floor.isValid())
        {
            driver.setHostFloorKib(text == null ? 0 : floor.kib());
        }
        else
        {
            LOG.log(System.Logger.Level.WARNING, "dom{0}: ignoring {1} = {2}: {3}", ctx.domid(), MINMEM, printable(text),
                floor.rejection());
        }
    }

    private void readDeflateOnPressure()
    {
        driver.negotiateDeflateOnPressure("1".equals(read(DEFLATE_ON_PRESSURE)));
        wakeTask();
    }

    /** @return the node's value, or {@code null} when it is missing or cannot be read now. */
    private String read(final String path)
    {
        try
        {
            return xenstore.readString(path);
        }
        catch (final XenstoreException ex)
        {
            if (ex.errno() != XsErrno.ENOENT)
            {
                LOG.log(System.Logger.Level.DEBUG, "dom{0}: {1} not read: {2}", ctx.domid(), path, ex.getMessage());
            }
            return null;
        }
        catch (final HypercallAbortedException ex)
        {
            return null; // the kernel stops
        }
    }

    private void wakeTask()
    {
        final TaskHandle handle = task;
        if (handle != null)
        {
            handle.wake();
        }
    }

    private static String printable(final String text)
    {
        if (text == null)
        {
            return "";
        }
        final String shown = text.length() > MAX_SHOWN_CHARS ? text.substring(0, MAX_SHOWN_CHARS) + "..." : text;
        return shown.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
