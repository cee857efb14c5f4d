package org.coopvm.guest.driver;

import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.task.Vcpu;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.rings.xenbus.XenbusDevice;
import org.coopvm.rings.xenbus.XenbusFrontend;
import org.coopvm.rings.xenbus.XenbusState;
import org.coopvm.rings.xenbus.XenstoreAccess;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The xenbus lifecycle of one split-driver frontend (blkfront, netfront), run the same way for
 * every device: {@link #start} watches the backend through a {@link XenbusFrontend} whose driver is
 * the frontend (the handshake follows); {@link #close} detaches (Closing, then Closed once the
 * backend let go); {@link #shutdown} does the same and waits for it, at most
 * {@link #SHUTDOWN_WAIT_MS}, then goes Closed anyway; {@link #stop} forgets the device when the
 * kernel stopped (no hypercalls, no xenstore any more; the backend notices the domain going).
 *
 * <p>Thread safety: {@link #close} from any thread (off a vCPU it goes through vCPU 0);
 * {@link #shutdown} on a vCPU thread; {@link #stop} and the queries from any thread.
 */
public final class FrontendLifecycle
{
    /** Longest wait of {@link #shutdown} for the backend to let go, in milliseconds. */
    public static final long SHUTDOWN_WAIT_MS = 2_000;

    private final GuestContext ctx;
    private final XenbusFrontend.Driver driver;
    private volatile XenbusFrontend xenbus;
    private volatile boolean stopped;

    /**
     * @param ctx    the kernel's services.
     * @param driver the frontend: the xenbus callbacks.
     */
    public FrontendLifecycle(final GuestContext ctx, final XenbusFrontend.Driver driver)
    {
        this.ctx = ctx;
        this.driver = driver;
    }

    /**
     * Watch the backend (the handshake follows). Call once.
     *
     * @param xenstore   the guest's xenstore connection.
     * @param devicePath the frontend directory, {@code /local/domain/<domid>/device/<type>/<id>}.
     * @throws org.coopvm.rings.xenbus.XenstoreAccessException when the directory is incomplete.
     */
    public void start(final XenstoreAccess xenstore, final String devicePath)
    {
        xenbus = XenbusFrontend.start(xenstore, devicePath, driver);
    }

    /** @return the xenbus frontend (its state and the backend's), {@code null} before {@link #start} returned. */
    public XenbusFrontend xenbus()
    {
        return xenbus;
    }

    /** @return whether the kernel stopped ({@link #stop}). */
    public boolean isStopped()
    {
        return stopped;
    }

    /**
     * Detach: Closing, then Closed once the backend let go. Off a vCPU thread the request goes to
     * vCPU 0 as a task: the xenbus frontend holds its monitor across the xenstore write, whose kick
     * is a hypercall routed to vCPU 0, where the frontend's watch events run under the same monitor.
     */
    public void close()
    {
        final XenbusFrontend frontend = xenbus;
        if (frontend == null || stopped)
        {
            return;
        }
        if (Vcpu.current() != null)
        {
            frontend.requestClose();
            return;
        }
        ctx.submit(0, task ->
        {
            frontend.requestClose();
            return StepResult.DONE;
        });
    }

    /**
     * The domain shuts down (vCPU thread, before {@code SCHEDOP_shutdown}): detach and wait, at
     * most {@link #SHUTDOWN_WAIT_MS}, until Closed, reading the backend's state meanwhile (which
     * delivers the watch events to this thread). Still not Closed then: the frontend is told it is
     * disconnected and goes Closed anyway.
     */
    public void shutdown()
    {
        final XenbusFrontend frontend = xenbus;
        if (frontend == null || stopped || frontend.end().state() == XenbusState.CLOSED)
        {
            return;
        }
        close();
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SHUTDOWN_WAIT_MS);
        while (frontend.end().state() != XenbusState.CLOSED && System.nanoTime() - deadlineNs < 0)
        {
            frontend.end().readOther(XenbusDevice.STATE);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        if (frontend.end().state() != XenbusState.CLOSED)
        {
            driver.disconnected(frontend.end());
            frontend.end().switchState(XenbusState.CLOSED);
        }
    }

    /** The kernel stopped: no more closing or waiting for this device. */
    public void stop()
    {
        stopped = true;
    }
}
