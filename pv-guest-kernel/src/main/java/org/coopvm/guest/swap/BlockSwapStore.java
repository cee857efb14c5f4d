package org.coopvm.guest.swap;

import org.agrona.concurrent.AtomicBuffer;
import org.coopvm.guest.block.BlockBuffer;
import org.coopvm.guest.block.BlockCompletion;
import org.coopvm.guest.block.BlockDevice;
import org.coopvm.guest.mem.SwapSpace;
import org.coopvm.guest.mem.SwapStore;
import org.coopvm.rings.mem.Pages;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A {@link SwapStore} on a blkif disk: slot {@code s} is sectors {@code 8s .. 8s + 7}. Pages go
 * through one bounce buffer of {@link #BATCH_PAGES} pages granted to the backend once (the block
 * API's persistent grants): a page-out copies its pages in and writes runs of consecutive slots as
 * one request each; a page-in reads one slot and copies it out. Swap data need not survive a
 * crash, so there is no flush (as Linux's swap).
 *
 * <p>A transfer that does not complete within {@link SwapSpace#WAIT_TIMEOUT_NS} (the backend went
 * away and its requests were abandoned where nobody runs them) leaves the bounce buffer possibly
 * still in use: the store is then <em>broken</em> and fails every later transfer.
 *
 * <p>Thread safety: {@link #write} and {@link #read} one at a time ({@link SwapSpace}'s I/O gate),
 * any thread but an event handler; {@link #await} any thread; completions on vCPU 0.
 */
final class BlockSwapStore implements SwapStore
{
    /** Pages of the bounce buffer: the largest page-out batch (128 KiB). */
    static final int BATCH_PAGES = 32;
    /** 512-byte sectors per 4 KiB page slot. */
    static final int SECTORS_PER_SLOT = Pages.PAGE_SIZE / BlockDevice.SECTOR_SIZE;

    private static final System.Logger LOG = System.getLogger(BlockSwapStore.class.getName());

    private final BlockDevice disk;
    private final BlockBuffer bounce;
    private final SwapWait wait;
    private final int slots;
    private volatile boolean broken;

    /**
     * @param disk   a connected, writable disk.
     * @param bounce a buffer of {@link #BATCH_PAGES} pages from that disk.
     * @param wait   how to wait for completions.
     */
    BlockSwapStore(final BlockDevice disk, final BlockBuffer bounce, final SwapWait wait)
    {
        this.disk = disk;
        this.bounce = bounce;
        this.wait = wait;
        this.slots = (int)Math.min(Integer.MAX_VALUE, disk.sectors() / SECTORS_PER_SLOT);
    }

    @Override
    public int slots()
    {
        return slots;
    }

    @Override
    public int batchPages()
    {
        return bounce.pages();
    }

    @Override
    public boolean write(final int[] slotsOut, final AtomicBuffer[] pages, final int count)
    {
        if (broken)
        {
            return false;
        }
        for (int i = 0; i < count; i++)
        {
            bounce.memory().putBytes((long)i * Pages.PAGE_SIZE, pages[i], 0, Pages.PAGE_SIZE);
        }
        final Transfer transfer = new Transfer(runs(slotsOut, count));
        int first = 0;
        while (first < count)
        {
            int end = first + 1;
            while (end < count && slotsOut[end] == slotsOut[end - 1] + 1)
            {
                end++;
            }
            transfer.submitted(disk.write((long)slotsOut[first] * SECTORS_PER_SLOT, bounce, (long)first * Pages.PAGE_SIZE,
                (end - first) * SECTORS_PER_SLOT, transfer));
            first = end;
        }
        return finish(transfer);
    }

    @Override
    public boolean read(final int slot, final AtomicBuffer page)
    {
        if (broken)
        {
            return false;
        }
        final Transfer transfer = new Transfer(1);
        transfer.submitted(disk.read((long)slot * SECTORS_PER_SLOT, bounce, 0, SECTORS_PER_SLOT, transfer));
        if (!finish(transfer))
        {
            return false;
        }
        bounce.memory().getBytes(0, page, 0, Pages.PAGE_SIZE);
        return true;
    }

    @Override
    public boolean await(final BooleanSupplier condition, final long timeoutNs)
    {
        return wait.await(condition, timeoutNs);
    }

    /** @return whether a transfer timed out, so every later one fails. */
    boolean isBroken()
    {
        return broken;
    }

    private boolean finish(final Transfer transfer)
    {
        if (!wait.await(transfer::isDone, SwapSpace.WAIT_TIMEOUT_NS))
        {
            broken = true;
            LOG.log(System.Logger.Level.WARNING, "swap on {0}: a transfer did not complete; swap I/O stops", disk.name());
            return false;
        }
        return transfer.status == 0;
    }

    private static int runs(final int[] slotsOut, final int count)
    {
        int runs = count == 0 ? 0 : 1;
        for (int i = 1; i < count; i++)
        {
            if (slotsOut[i] != slotsOut[i - 1] + 1)
            {
                runs++;
            }
        }
        return runs;
    }

    /** The requests of one transfer: done when all completed; the first failure is its status. */
    private static final class Transfer implements BlockCompletion
    {
        private final AtomicInteger left;
        private final Thread waiter = Thread.currentThread();
        private volatile int status;

        Transfer(final int requests)
        {
            left = new AtomicInteger(requests);
        }

        /** @param submitStatus what the submit returned: not 0 means it will never complete. */
        void submitted(final int submitStatus)
        {
            if (submitStatus != 0)
            {
                completed(submitStatus);
            }
        }

        @Override
        public void completed(final int result)
        {
            if (result != 0)
            {
                status = result;
            }
            if (left.decrementAndGet() == 0)
            {
                SwapWait.wake(waiter);
            }
        }

        boolean isDone()
        {
            return left.get() == 0;
        }
    }
}
