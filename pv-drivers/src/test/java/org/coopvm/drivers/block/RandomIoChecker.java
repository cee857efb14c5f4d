package org.coopvm.drivers.block;

import org.coopvm.guest.block.BlockBuffer;
import org.coopvm.guest.block.BlockDevice;
import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.workload.GuestContext;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.zip.CRC32;

/**
 * Random reads and writes of 4 KiB blocks kept {@code queueDepth} deep on one disk, each block's
 * content a function of (block, version) and checked by CRC32 whenever it is read: a write of
 * version v records the block's expected checksum; a read compares. Requests span 1..24 blocks
 * (so some are split into several ring requests) at a buffer offset of 0..7 sectors (so segments
 * start inside pages). In-flight requests never overlap, so the expected content is known. Runs
 * on the completions' thread (vCPU 0), from {@link #start}.
 */
final class RandomIoChecker
{
    static final int BLOCK = 4096;
    private static final int MAX_BLOCKS = 24;

    private final BlockDevice disk;
    private final int blocks;
    private final long[] expectedCrc;
    private final int[] versions;
    private final boolean[] busy;
    private final SplittableRandom random;
    private final List<BlockBuffer> buffers = new ArrayList<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private int opsLeft;
    private int inFlight;
    private volatile String failure;
    private volatile long reads;
    private volatile long writes;

    RandomIoChecker(final BlockDevice disk, final int queueDepth, final int ops, final long seed)
    {
        this.disk = disk;
        this.blocks = (int)(disk.sectors() * BlockDevice.SECTOR_SIZE / BLOCK);
        this.expectedCrc = new long[blocks];
        this.versions = new int[blocks];
        this.busy = new boolean[blocks];
        this.random = new SplittableRandom(seed);
        this.opsLeft = ops;
        final long zeroCrc = crc(new byte[BLOCK]);
        java.util.Arrays.fill(expectedCrc, zeroCrc);
        for (int i = 0; i < queueDepth; i++)
        {
            buffers.add(disk.allocateBuffer(MAX_BLOCKS + 1).orElseThrow());
        }
    }

    /**
     * Submit the first requests on vCPU 0, where the completions run and submit the rest (a
     * submitter holding a lock the completions take must not wait for a routed hypercall).
     *
     * @param ctx the guest's services.
     */
    void start(final GuestContext ctx)
    {
        ctx.submit(0, task ->
        {
            synchronized (this)
            {
                for (final BlockBuffer buffer : buffers)
                {
                    next(buffer);
                }
            }
            return StepResult.DONE;
        });
    }

    CountDownLatch finished()
    {
        return finished;
    }

    String failure()
    {
        return failure;
    }

    long reads()
    {
        return reads;
    }

    long writes()
    {
        return writes;
    }

    /** Check the image file against the expected checksums (after {@link #finished}). */
    String checkImage(final ByteBuffer image)
    {
        final byte[] block = new byte[BLOCK];
        for (int b = 0; b < blocks; b++)
        {
            image.get(b * BLOCK, block);
            if (crc(block) != expectedCrc[b])
            {
                return "image block " + b + " (version " + versions[b] + ") has the wrong content";
            }
        }
        return null;
    }

    private synchronized void next(final BlockBuffer buffer)
    {
        if (opsLeft == 0 || failure != null)
        {
            if (inFlight == 0)
            {
                finished.countDown();
            }
            return;
        }
        final int count = 1 + random.nextInt(MAX_BLOCKS);
        final int first = random.nextInt(blocks - count + 1);
        for (int b = first; b < first + count; b++)
        {
            if (busy[b])
            {
                opsLeft--;
                next(buffer); // overlaps a request in flight: pick again
                return;
            }
        }
        opsLeft--;
        inFlight++;
        final int offset = random.nextInt(8) * BlockDevice.SECTOR_SIZE;
        java.util.Arrays.fill(busy, first, first + count, true);
        final int status = random.nextInt(10) < 6 ? write(buffer, first, count, offset) : read(buffer, first, count, offset);
        if (status != 0)
        {
            failure = "submit returned " + status;
            finished.countDown();
        }
    }

    private int write(final BlockBuffer buffer, final int first, final int count, final int offset)
    {
        final byte[] data = new byte[BLOCK];
        for (int b = first; b < first + count; b++)
        {
            content(b, versions[b] + 1, data);
            buffer.memory().putBytes(offset + (long)(b - first) * BLOCK, data, 0, BLOCK);
        }
        return disk.write((long)first * 8, buffer, offset, count * 8, status -> written(buffer, first, count, status));
    }

    private synchronized void written(final BlockBuffer buffer, final int first, final int count, final int status)
    {
        final byte[] data = new byte[BLOCK];
        for (int b = first; b < first + count; b++)
        {
            versions[b]++;
            content(b, versions[b], data);
            expectedCrc[b] = crc(data);
        }
        writes++;
        done(first, count, status, "write");
        next(buffer);
    }

    private int read(final BlockBuffer buffer, final int first, final int count, final int offset)
    {
        return disk.read((long)first * 8, buffer, offset, count * 8, status -> readBack(buffer, first, count, offset, status));
    }

    private synchronized void readBack(final BlockBuffer buffer, final int first, final int count, final int offset, final int status)
    {
        final byte[] data = new byte[BLOCK];
        for (int b = first; b < first + count && status == 0; b++)
        {
            buffer.memory().getBytes(offset + (long)(b - first) * BLOCK, data, 0, BLOCK);
            if (crc(data) != expectedCrc[b] && failure == null)
            {
                failure = "block " + b + " read back wrong at version " + versions[b];
            }
        }
        reads++;
        done(first, count, status, "read");
        next(buffer);
    }

    private void done(final int first, final int count, final int status, final String what)
    {
        inFlight--;
        java.util.Arrays.fill(busy, first, first + count, false);
        if (status != 0 && failure == null)
        {
            failure = what + " of blocks " + first + "+" + count + " failed: " + status;
        }
    }

    static void content(final int block, final int version, final byte[] data)
    {
        long x = ((long)block << 32 | version) * 0x9E3779B97F4A7C15L | 1;
        for (int i = 0; i < data.length; i += 8)
        {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            for (int j = 0; j < 8; j++)
            {
                data[i + j] = (byte)(x >>> (8 * j));
            }
        }
    }

    static long crc(final byte[] data)
    {
        final CRC32 crc = new CRC32();
        crc.update(data);
        return crc.getValue();
    }
}
