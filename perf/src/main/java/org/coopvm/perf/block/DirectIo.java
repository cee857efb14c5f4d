package org.coopvm.perf.block;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The peer of the block benchmark: the same I/O on the same image file straight through
 * {@link FileChannel} positional reads and writes of a direct buffer, from the calling thread,
 * one request at a time (no ring, no grants, no second thread). Stateless; any thread.
 */
final class DirectIo
{
    private DirectIo()
    {
    }

    /**
     * @param image      the image, open for reading and writing.
     * @param ioCase     what to do.
     * @param blocks     blocks of {@code ioCase.blockBytes()} in the image.
     * @param durationNs how long.
     * @param seed       the offsets' seed.
     * @return what was done.
     */
    static IoCase.Result run(final FileChannel image, final IoCase ioCase, final long blocks, final long durationNs, final long seed)
    {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(ioCase.blockBytes());
        final byte[] data = new byte[ioCase.blockBytes()];
        ThreadLocalRandom.current().nextBytes(data);
        buffer.put(data).clear();
        final SplittableRandom random = new SplittableRandom(seed);
        long ops = 0;
        long cursor = 0;
        final long startNs = System.nanoTime();
        long nowNs = startNs;
        try
        {
            while (nowNs - startNs < durationNs)
            {
                final long block = ioCase.random() ? random.nextLong(blocks) : cursor;
                cursor = cursor + 1 == blocks ? 0 : cursor + 1;
                transfer(image, buffer, block * ioCase.blockBytes(), ioCase.write());
                ops++;
                nowNs = System.nanoTime();
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("direct " + ioCase.name() + " on the image failed", ex);
        }
        return new IoCase.Result(ops, (nowNs - startNs) / 1e9, 0);
    }

    /** Write {@code blocks} blocks of 1 MiB of pseudo-random data over the whole image, so reads find real pages. */
    static void fill(final FileChannel image, final long bytes) throws IOException
    {
        final ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
        final byte[] data = new byte[1 << 20];
        new SplittableRandom(1).nextBytes(data);
        chunk.put(data);
        for (long at = 0; at < bytes; at += chunk.capacity())
        {
            chunk.clear();
            while (chunk.hasRemaining())
            {
                image.write(chunk, at + chunk.position());
            }
        }
        image.force(false);
    }

    private static void transfer(final FileChannel image, final ByteBuffer buffer, final long position, final boolean write)
        throws IOException
    {
        buffer.clear();
        while (buffer.hasRemaining())
        {
            final int moved = write ? image.write(buffer, position + buffer.position()) : image.read(buffer, position + buffer.position());
            if (moved < 0)
            {
                throw new IOException("the image ends before byte " + (position + buffer.position()));
            }
        }
    }
}
