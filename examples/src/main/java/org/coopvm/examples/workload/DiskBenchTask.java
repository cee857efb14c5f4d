package org.coopvm.examples.workload;

import org.coopvm.guest.block.BlockBuffer;
import org.coopvm.guest.block.BlockCompletion;
import org.coopvm.guest.block.BlockDevice;
import org.coopvm.guest.hypercall.ShutdownReason;
import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.task.Task;
import org.coopvm.guest.task.TaskContext;
import org.coopvm.guest.task.TaskHandle;
import org.coopvm.guest.workload.GuestContext;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code disk-bench}'s task on vCPU 0. It waits for the disk to connect (at most
 * {@link #CONNECT_WAIT_S} s), gives each of the {@code qd} slots its own buffer, and submits one
 * request per slot; each completion (on vCPU 0) records the request's latency (submit to
 * completion) and submits the slot's next request, so {@code qd} stay in flight (closed loop, as
 * fio's iodepth). The task itself only wakes to publish the figures and, at the end, to let the
 * requests drain, flush (when the run wrote) and power off.
 *
 * <p>Thread safety: the task and the completions run on vCPU 0.
 */
final class DiskBenchTask implements Task
{
    static final long CONNECT_WAIT_S = 30;
    private static final long POLL_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private enum Phase
    {
        CONNECTING, RUNNING, DRAINING, FLUSHING, DONE
    }

    private final GuestContext ctx;
    private final DiskBenchConfig config;
    private final FigurePublisher figures;
    private final SplittableRandom random;
    private final long[] submittedNs;
    private final BlockCompletion[] completions;
    private BlockDevice disk;
    private BlockBuffer[] buffers;
    private IoStats stats;
    private TaskHandle self;
    private Phase phase = Phase.CONNECTING;
    private long regionBlocks;
    private long cursor;
    private long connectDeadlineNs;
    private long nextReportNs;
    private long endNs;
    private int inFlight;
    private int flushStatus;

    DiskBenchTask(final GuestContext ctx, final DiskBenchConfig config)
    {
        this.ctx = ctx;
        this.config = config;
        this.figures = new FigurePublisher(ctx.xenstore(), "data/disk-bench", ctx.console());
        this.random = new SplittableRandom(config.seed());
        this.submittedNs = new long[config.queueDepth()];
        this.completions = new BlockCompletion[config.queueDepth()];
        for (int slot = 0; slot < completions.length; slot++)
        {
            final int index = slot;
            completions[slot] = status -> completed(index, status);
        }
    }

    @Override
    public StepResult step(final TaskContext task)
    {
        self = task.self();
        final long nowNs = task.nowNs();
        return switch (phase)
        {
            case CONNECTING -> connect(task, nowNs);
            case RUNNING -> run(task, nowNs);
            case DRAINING -> drain(task);
            case FLUSHING -> flushStatus == 1 ? StepResult.BLOCK : finish(nowNs);
            case DONE -> StepResult.DONE;
        };
    }

    private StepResult connect(final TaskContext task, final long nowNs)
    {
        if (connectDeadlineNs == 0)
        {
            connectDeadlineNs = nowNs + TimeUnit.SECONDS.toNanos(CONNECT_WAIT_S);
        }
        disk = ctx.blockDevices().byName(config.disk()).orElse(null);
        if (disk == null || !disk.isConnected())
        {
            if (nowNs - connectDeadlineNs >= 0)
            {
                return fail("disk " + config.disk() + (disk == null ? " does not exist" : " did not connect") + " within " +
                    CONNECT_WAIT_S + " s");
            }
            task.wakeAt(nowNs + POLL_NS);
            return StepResult.BLOCK;
        }
        return start(task, nowNs);
    }

    private StepResult start(final TaskContext task, final long nowNs)
    {
        final long diskBytes = disk.sectors() * BlockDevice.SECTOR_SIZE;
        final long region = config.regionBytes() == 0 ? diskBytes : Math.min(config.regionBytes(), diskBytes);
        regionBlocks = region / config.blockBytes();
        if (regionBlocks == 0 || (config.pattern() != DiskBenchConfig.Pattern.READ && config.pattern() != DiskBenchConfig.Pattern.RANDREAD &&
            disk.readOnly()))
        {
            return fail(regionBlocks == 0 ? "disk " + config.disk() + " is smaller than one block" : "disk " + config.disk() + " is read-only");
        }
        if (!allocateBuffers())
        {
            return fail("no memory for " + config.queueDepth() + " buffers of " + config.blockBytes() / 1024 + " KiB");
        }
        ctx.console().log("disk-bench: " + config.describe() + ", " + regionBlocks * config.blockBytes() / (1024 * 1024) + " MiB of " +
            diskBytes / (1024 * 1024) + " MiB");
        stats = new IoStats(nowNs);
        nextReportNs = nowNs + config.reportNs();
        endNs = nowNs + config.runNs();
        phase = Phase.RUNNING;
        for (int slot = 0; slot < config.queueDepth(); slot++)
        {
            submit(slot);
        }
        return sleepUntilDue(task);
    }

    private boolean allocateBuffers()
    {
        final int pages = (config.blockBytes() + 4095) / 4096;
        buffers = new BlockBuffer[config.queueDepth()];
        final byte[] data = new byte[config.blockBytes()];
        for (int slot = 0; slot < buffers.length; slot++)
        {
            buffers[slot] = disk.allocateBuffer(pages).orElse(null);
            if (buffers[slot] == null)
            {
                return false;
            }
            random.nextBytes(data);
            buffers[slot].memory().putBytes(0, data, 0, data.length);
        }
        return true;
    }

    private StepResult run(final TaskContext task, final long nowNs)
    {
        if (nowNs - nextReportNs >= 0)
        {
            nextReportNs += config.reportNs();
            figures.publish(stats.drainFigures(nowNs));
        }
        if (config.runNs() > 0 && nowNs - endNs >= 0)
        {
            phase = Phase.DRAINING;
            return drain(task);
        }
        return sleepUntilDue(task);
    }

    private StepResult sleepUntilDue(final TaskContext task)
    {
        task.wakeAt(config.runNs() > 0 && endNs - nextReportNs < 0 ? endNs : nextReportNs);
        return StepResult.BLOCK;
    }

    private StepResult drain(final TaskContext task)
    {
        if (inFlight > 0)
        {
            task.wakeAt(task.nowNs() + TimeUnit.MILLISECONDS.toNanos(100)); // the last completion wakes it sooner
            return StepResult.BLOCK;
        }
        final boolean wrote = config.pattern() != DiskBenchConfig.Pattern.READ && config.pattern() != DiskBenchConfig.Pattern.RANDREAD;
        if (config.flushAtEnd() && wrote && disk.flushSupported())
        {
            phase = Phase.FLUSHING;
            flushStatus = 1;
            final int submitted = disk.flush(status ->
            {
                stats.flushed(ctx.clock().nanoTime(), status);
                flushStatus = status == 0 ? 0 : -1;
                self.wake();
            });
            if (submitted != 0)
            {
                flushStatus = -1;
            }
            return flushStatus == 1 ? StepResult.BLOCK : finish(task.nowNs());
        }
        return finish(task.nowNs());
    }

    private StepResult finish(final long nowNs)
    {
        phase = Phase.DONE;
        figures.publish(stats.drainFigures(nowNs));
        ctx.console().log("disk-bench: done, " + config.pattern().argName() + " " + config.blockBytes() / 1024 + " KiB qd " +
            config.queueDepth() + " on " + config.disk() + ": " + stats.summary(nowNs));
        ctx.shutdown(ShutdownReason.POWEROFF);
        return StepResult.DONE;
    }

    private StepResult fail(final String why)
    {
        phase = Phase.DONE;
        ctx.console().log("disk-bench: " + why);
        ctx.shutdown(ShutdownReason.CRASH);
        return StepResult.DONE;
    }

    /** Submit the slot's next request (the completion of the last one, or the start). */
    private void submit(final int slot)
    {
        final long block = config.pattern().sequential() ? nextSequential() : random.nextLong(regionBlocks);
        final long sector = block * config.blockBytes() / BlockDevice.SECTOR_SIZE;
        final int sectors = config.blockBytes() / BlockDevice.SECTOR_SIZE;
        submittedNs[slot] = ctx.clock().nanoTime();
        final int status = isRead() ? disk.read(sector, buffers[slot], 0, sectors, completions[slot]) :
            disk.write(sector, buffers[slot], 0, sectors, completions[slot]);
        if (status == 0)
        {
            inFlight++;
        }
        else
        {
            stats.record(0, 0, status); // refused at once (the disk went away): counted, the slot stops
        }
    }

    private boolean isRead()
    {
        return switch (config.pattern())
        {
            case READ, RANDREAD -> true;
            case WRITE, RANDWRITE -> false;
            case RANDRW -> random.nextInt(100) < config.readPercent();
        };
    }

    private long nextSequential()
    {
        final long block = cursor;
        cursor = cursor + 1 == regionBlocks ? 0 : cursor + 1;
        return block;
    }

    /** A request of {@code slot} completed (vCPU 0). */
    private void completed(final int slot, final int status)
    {
        inFlight--;
        final long nowNs = ctx.clock().nanoTime();
        stats.record(nowNs - submittedNs[slot], status == 0 ? config.blockBytes() : 0, status);
        if (phase == Phase.RUNNING && (config.runNs() == 0 || nowNs - endNs < 0))
        {
            submit(slot);
        }
        else if (inFlight == 0)
        {
            stats.end(nowNs);
            self.wake();
        }
    }
}
