package org.coopvm.perf.block;

import org.coopvm.guest.block.BlockBuffer;
import org.coopvm.guest.block.BlockCompletion;
import org.coopvm.guest.block.BlockDevice;
import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.workload.GuestContext;

import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One measurement through the split driver, run on the guest's vCPU 0 as a workload would:
 * {@code qd} requests submitted at once, each completion (vCPU 0) submitting the slot's next
 * request until the time is up, so {@code qd} stay in flight; timed from the first submission to
 * the last completion.
 *
 * <p>Thread safety: {@link #run} from any thread; the I/O runs on vCPU 0.
 */
final class GuestIo
{
    private final BlockDevice disk;
    private final IoCase ioCase;
    private final long blocks;
    private final long durationNs;
    private final SplittableRandom random;
    private final BlockBuffer[] buffers;
    private final BlockCompletion[] completions;
    private final CompletableFuture<IoCase.Result> done = new CompletableFuture<>();
    private long startNs;
    private long cursor;
    private long ops;
    private long errors;
    private int inFlight;

    private GuestIo(final BlockDevice disk, final IoCase ioCase, final long blocks, final BlockBuffer[] buffers, final long durationNs,
        final long seed)
    {
        this.disk = disk;
        this.ioCase = ioCase;
        this.blocks = blocks;
        this.durationNs = durationNs;
        this.random = new SplittableRandom(seed);
        this.buffers = buffers;
        this.completions = new BlockCompletion[buffers.length];
        for (int slot = 0; slot < buffers.length; slot++)
        {
            final int index = slot;
            completions[slot] = status -> completed(index, status);
        }
    }

    /**
     * @param ctx        the guest's services.
     * @param disk       the connected disk.
     * @param ioCase     what to do.
     * @param blocks     blocks of the case's size in the image.
     * @param buffers    one buffer of the case's size per request in flight (kept granted across runs).
     * @param durationNs how long.
     * @param seed       the offsets' seed.
     * @return the result, once the last request completed.
     */
    static CompletableFuture<IoCase.Result> run(final GuestContext ctx, final BlockDevice disk, final IoCase ioCase, final long blocks,
        final BlockBuffer[] buffers, final long durationNs, final long seed)
    {
        final GuestIo io = new GuestIo(disk, ioCase, blocks, buffers, durationNs, seed);
        ctx.submit(0, task ->
        {
            io.start();
            return StepResult.DONE;
        });
        return io.done;
    }

    private void start()
    {
        startNs = System.nanoTime();
        for (int slot = 0; slot < buffers.length; slot++)
        {
            submit(slot);
        }
    }

    /**
     * Allocate the buffers of one case (on vCPU 0), filled with random bytes.
     *
     * @param ctx        the guest's services.
     * @param disk       the disk whose backend they are granted to.
     * @param blockBytes bytes of each.
     * @param count      how many.
     * @return the buffers.
     */
    static CompletableFuture<BlockBuffer[]> allocate(final GuestContext ctx, final BlockDevice disk, final int blockBytes, final int count)
    {
        final CompletableFuture<BlockBuffer[]> allocated = new CompletableFuture<>();
        ctx.submit(0, task ->
        {
            final BlockBuffer[] buffers = new BlockBuffer[count];
            final byte[] data = new byte[blockBytes];
            for (int slot = 0; slot < count; slot++)
            {
                buffers[slot] = disk.allocateBuffer((blockBytes + 4095) / 4096).orElse(null);
                if (buffers[slot] == null)
                {
                    allocated.completeExceptionally(new IllegalStateException("the guest has no memory for " + count + " buffers"));
                    return StepResult.DONE;
                }
                ThreadLocalRandom.current().nextBytes(data);
                buffers[slot].memory().putBytes(0, data, 0, data.length);
            }
            allocated.complete(buffers);
            return StepResult.DONE;
        });
        return allocated;
    }

    private void submit(final int slot)
    {
        final long block = ioCase.random() ? random.nextLong(blocks) : next();
        final int sectors = ioCase.blockBytes() / BlockDevice.SECTOR_SIZE;
        final long sector = block * sectors;
        final int status = ioCase.write() ? disk.write(sector, buffers[slot], 0, sectors, completions[slot]) :
            disk.read(sector, buffers[slot], 0, sectors, completions[slot]);
        if (status == 0)
        {
            inFlight++;
        }
        else
        {
            errors++;
            finishIfIdle(System.nanoTime());
        }
    }

    private long next()
    {
        final long block = cursor;
        cursor = cursor + 1 == blocks ? 0 : cursor + 1;
        return block;
    }

    private void completed(final int slot, final int status)
    {
        inFlight--;
        ops++;
        if (status != 0)
        {
            errors++;
        }
        final long nowNs = System.nanoTime();
        if (nowNs - startNs < durationNs && status == 0)
        {
            submit(slot);
        }
        else
        {
            finishIfIdle(nowNs);
        }
    }

    private void finishIfIdle(final long nowNs)
    {
        if (inFlight == 0 && !done.isDone())
        {
            done.complete(new IoCase.Result(ops, (nowNs - startNs) / 1e9, errors));
        }
    }

}
