package org.coopvm.guest.swap;

import org.coopvm.guest.block.BlockBuffer;
import org.coopvm.guest.block.BlockDevice;
import org.coopvm.guest.driver.RunningDriver;
import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.task.TaskContext;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.rings.blkif.VirtualDevice;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The running {@code swap} driver (Linux's {@code swapon} at boot): a task on vCPU 0 waits for the
 * named disk to connect, checks it (one of the domain's disks, writable, at least
 * {@link #MIN_SWAP_KIB}), takes a bounce buffer and enables the guest's
 * {@link org.coopvm.guest.mem.SwapSpace} on it. Each outcome is one console line
 * ({@code swap: on xvdb, 65536 KiB} or {@code swap: ...: running without swap}); a guest without
 * usable swap runs on, its swappable pages simply staying resident.
 *
 * <p>Thread safety: {@link #status()} from any thread; the task on vCPU 0; {@link #stop()} as
 * {@link RunningDriver} says.
 */
public final class SwapService implements RunningDriver
{
    /** The smallest swap disk used: 1 MiB. */
    public static final long MIN_SWAP_KIB = 1024;
    /** How long the driver waits for the disk to connect. */
    public static final long CONNECT_TIMEOUT_MS = 10_000;

    private static final long RECHECK_NS = TimeUnit.MILLISECONDS.toNanos(20);

    private final GuestContext ctx;
    private final String vdev;
    private final long deadlineNs;
    private volatile SwapStatus status;
    private volatile BlockSwapStore store;

    private SwapService(final GuestContext ctx, final String vdev, final SwapStatus status)
    {
        this.ctx = ctx;
        this.vdev = vdev;
        this.status = status;
        this.deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONNECT_TIMEOUT_MS);
    }

    /** @return a service for a domain without swap. */
    public static SwapService none(final GuestContext ctx)
    {
        return new SwapService(ctx, "", SwapStatus.NONE);
    }

    /**
     * Start bringing swap up on a disk (vCPU 0, at boot).
     *
     * @param ctx  the kernel's services.
     * @param vdev the disk's name, e.g. {@code xvdb}.
     * @return the service, {@link SwapStatus#WAITING} or already failed.
     */
    public static SwapService start(final GuestContext ctx, final String vdev)
    {
        if (VirtualDevice.parse(vdev).isEmpty())
        {
            final SwapService failed = new SwapService(ctx, vdev, SwapStatus.WAITING);
            failed.fail(SwapStatus.NO_DISK, "'" + vdev + "' is not a disk name");
            return failed;
        }
        final SwapService service = new SwapService(ctx, vdev, SwapStatus.WAITING);
        ctx.submit(0, service::step);
        return service;
    }

    /** @return where the driver stands. */
    public SwapStatus status()
    {
        return status;
    }

    /** @return the disk swap is on (or was to be on), "" for none. */
    public String device()
    {
        return vdev;
    }

    @Override
    public void stop()
    {
        status = status == SwapStatus.WAITING ? SwapStatus.NOT_CONNECTED : status;
    }

    private StepResult step(final TaskContext task)
    {
        if (status != SwapStatus.WAITING)
        {
            return StepResult.DONE;
        }
        final Optional<BlockDevice> disk = ctx.blockDevices().byName(vdev);
        if (disk.isEmpty())
        {
            return fail(SwapStatus.NO_DISK, "no disk " + vdev + " (the domain's swap names a disk it does not have)");
        }
        if (!disk.get().isConnected())
        {
            if (System.nanoTime() - deadlineNs >= 0)
            {
                return fail(SwapStatus.NOT_CONNECTED, vdev + " not connected after " + CONNECT_TIMEOUT_MS + " ms");
            }
            task.wakeAfter(RECHECK_NS);
            return StepResult.BLOCK;
        }
        return enable(disk.get());
    }

    private StepResult enable(final BlockDevice disk)
    {
        final long kib = disk.sectors() * BlockDevice.SECTOR_SIZE / 1024;
        if (disk.readOnly())
        {
            return fail(SwapStatus.READ_ONLY, vdev + " is read-only");
        }
        if (kib < MIN_SWAP_KIB)
        {
            return fail(SwapStatus.TOO_SMALL, vdev + " has " + kib + " KiB, swap needs at least " + MIN_SWAP_KIB + " KiB");
        }
        final Optional<BlockBuffer> bounce = disk.allocateBuffer(BlockSwapStore.BATCH_PAGES);
        if (bounce.isEmpty())
        {
            return fail(SwapStatus.NO_BUFFER, "no guest memory or grant references for a " + BlockSwapStore.BATCH_PAGES + "-page buffer on " + vdev);
        }
        final BlockSwapStore swapStore = new BlockSwapStore(disk, bounce.get(), new SwapWait(ctx.events(), ctx.hypercalls()));
        ctx.memory().swap().enable(swapStore);
        store = swapStore;
        status = SwapStatus.ON;
        ctx.console().log("swap: on " + vdev + ", " + kib + " KiB (" + swapStore.slots() + " pages)");
        return StepResult.DONE;
    }

    private StepResult fail(final SwapStatus why, final String message)
    {
        status = why;
        ctx.console().log("swap: " + message + ": running without swap");
        return StepResult.DONE;
    }

    /** @return whether swap I/O stopped after a transfer timed out. */
    public boolean isBroken()
    {
        final BlockSwapStore swapStore = store;
        return swapStore != null && swapStore.isBroken();
    }
}
