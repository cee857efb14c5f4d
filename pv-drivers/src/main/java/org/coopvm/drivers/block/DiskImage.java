package org.coopvm.drivers.block;

import org.coopvm.rings.blkif.BlkifRequestDescriptor;
import org.coopvm.rings.mem.NativeMemory;
import org.coopvm.rings.mem.Pages;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A raw image file as one virtual disk: its size in 512-byte sectors (the file's length rounded
 * down), positional reads and writes ({@link FileChannel}, safe from several threads), flush
 * ({@link FileChannel#force}: data and metadata reach the device before it returns) and discard
 * (the range's pages punched out with {@code fallocate}, so it reads back as zeros; zeros are
 * written where the file system cannot punch). A read-only image is opened for reading only.
 *
 * <p>Thread safety: any thread; {@link #close} once, after the last I/O.
 */
final class DiskImage implements AutoCloseable
{
    private static final int ZEROS_BYTES = 64 * 1024;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(ZEROS_BYTES).asReadOnlyBuffer();

    private final Path path;
    private final boolean readOnly;
    private final FileChannel channel;
    private final long sectors;
    private final int fd;

    private DiskImage(final Path path, final boolean readOnly, final FileChannel channel, final long sectors, final int fd)
    {
        this.path = path;
        this.readOnly = readOnly;
        this.channel = channel;
        this.sectors = sectors;
        this.fd = fd;
    }

    /**
     * @param path     an existing image file.
     * @param readOnly open it for reading only.
     * @return the open image.
     * @throws IOException when the file cannot be opened (missing, no permission, a directory).
     */
    static DiskImage open(final Path path, final boolean readOnly) throws IOException
    {
        final FileChannel channel = readOnly ? FileChannel.open(path, StandardOpenOption.READ) :
            FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try
        {
            final long sectors = channel.size() / BlkifRequestDescriptor.SECTOR_SIZE;
            final int fd = readOnly ? -1 : NativeMemory.open(path);
            return new DiskImage(path, readOnly, channel, sectors, fd);
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
    }

    Path path()
    {
        return path;
    }

    boolean readOnly()
    {
        return readOnly;
    }

    /** @return the disk's size in 512-byte sectors. */
    long sectors()
    {
        return sectors;
    }

    /**
     * Read until the buffer is full.
     *
     * @param destination where the bytes go (its remaining bytes are filled).
     * @param position    the file offset.
     * @throws IOException on an I/O error or a file that shrank under the disk.
     */
    void read(final ByteBuffer destination, final long position) throws IOException
    {
        long at = position;
        while (destination.hasRemaining())
        {
            final int read = channel.read(destination, at);
            if (read < 0)
            {
                throw new IOException(path + " ends before byte " + at);
            }
            at += read;
        }
    }

    /**
     * Write the buffer's remaining bytes.
     *
     * @param source   the bytes.
     * @param position the file offset.
     * @throws IOException on an I/O error.
     */
    void write(final ByteBuffer source, final long position) throws IOException
    {
        long at = position;
        while (source.hasRemaining())
        {
            at += channel.write(source, at);
        }
    }

    /**
     * Make every completed write durable ({@code fdatasync} and the file's metadata).
     *
     * @throws IOException on an I/O error.
     */
    void flush() throws IOException
    {
        channel.force(true);
    }

    /**
     * Drop a byte range: afterwards it reads as zeros.
     *
     * @param position first byte.
     * @param length   bytes.
     * @throws IOException on an I/O error.
     */
    void discard(final long position, final long length) throws IOException
    {
        final long start = Pages.roundUp(position);
        final long end = Math.max(start, (position + length) & ~(long)(Pages.PAGE_SIZE - 1));
        if (end > start && NativeMemory.punchHole(fd, start, end - start) == 0)
        {
            writeZeros(position, start - position);
            writeZeros(end, position + length - end);
            return;
        }
        writeZeros(position, length);
    }

    @Override
    public void close()
    {
        try
        {
            channel.close();
        }
        catch (final IOException ignored)
        {
            // nothing was buffered: FileChannel writes go to the kernel at once
        }
        if (fd >= 0)
        {
            NativeMemory.close(fd);
        }
    }

    private void writeZeros(final long position, final long length) throws IOException
    {
        long done = 0;
        while (done < length)
        {
            final ByteBuffer zeros = ZEROS.duplicate();
            zeros.limit((int)Math.min(ZEROS_BYTES, length - done));
            write(zeros, position + done);
            done += zeros.limit();
        }
    }
}
