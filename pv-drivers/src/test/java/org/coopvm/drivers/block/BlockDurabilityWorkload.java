package org.coopvm.drivers.block;

import org.coopvm.guest.block.BlockBuffer;
import org.coopvm.guest.block.BlockDevice;
import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.task.TaskContext;
import org.coopvm.guest.task.TaskHandle;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.workload.Workload;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code block-durability}: once {@code xvda} is connected, writes {@link #BLOCKS} 4 KiB blocks
 * (block b holds {@code RandomIoChecker.content(b, 1)}) in several requests, then flushes; when
 * the flush has completed it writes {@code data/block-durability = flushed} to xenstore and prints
 * {@code block-durability: flushed} on the console, then keeps the disk busy with unflushed
 * writes of other blocks until it is killed.
 */
public final class BlockDurabilityWorkload implements Workload
{
    /** Blocks written and flushed. */
    static final int BLOCKS = 64;
    /** The xenstore node (relative to the domain's home) that says the flush completed. */
    static final String FLUSHED_NODE = "data/block-durability";

    @Override
    public String name()
    {
        return "block-durability";
    }

    @Override
    public void start(final GuestContext ctx, final Map<String, String> args)
    {
        ctx.submit(new Writer(ctx));
    }

    private static final class Writer implements org.coopvm.guest.task.Task
    {
        private final GuestContext ctx;
        private BlockDevice disk;
        private BlockBuffer buffer;
        private volatile int writesLeft = -1;
        private volatile int flushStatus = 1;
        private boolean announced;
        private long churn;
        private TaskHandle self;

        Writer(final GuestContext ctx)
        {
            this.ctx = ctx;
        }

        @Override
        public StepResult step(final TaskContext task)
        {
            self = task.self();
            if (disk == null || !disk.isConnected())
            {
                disk = ctx.blockDevices().byName("xvda").orElse(null);
                task.wakeAfter(TimeUnit.MILLISECONDS.toNanos(1));
                return StepResult.BLOCK;
            }
            if (buffer == null)
            {
                return writeAll(task);
            }
            if (writesLeft == 0 && flushStatus == 1)
            {
                flushStatus = 2;
                disk.flush(status ->
                {
                    flushStatus = status;
                    self.wake();
                });
            }
            if (flushStatus == 0 && !announced)
            {
                announced = true;
                ctx.xenstore().orElseThrow().write(FLUSHED_NODE, "flushed");
                ctx.console().log("block-durability: flushed");
            }
            if (announced)
            {
                final byte[] data = new byte[4096];
                RandomIoChecker.content(BLOCKS + (int)(churn % 64), (int)churn, data);
                buffer.memory().putBytes(0, data, 0, data.length);
                disk.write((BLOCKS + churn++ % 64) * 8, buffer, 0, 8, status -> self.wake());
            }
            return StepResult.BLOCK;
        }

        private StepResult writeAll(final TaskContext task)
        {
            buffer = disk.allocateBuffer(BLOCKS).orElseThrow();
            final byte[] data = new byte[4096];
            for (int b = 0; b < BLOCKS; b++)
            {
                RandomIoChecker.content(b, 1, data);
                buffer.memory().putBytes(b * 4096L, data, 0, data.length);
            }
            writesLeft = BLOCKS / 8;
            for (int r = 0; r < BLOCKS / 8; r++)
            {
                disk.write(r * 64L, buffer, r * 8 * 4096L, 64, status ->
                {
                    if (status == 0)
                    {
                        writesLeft--;
                    }
                    self.wake();
                });
            }
            return StepResult.BLOCK;
        }
    }
}
