package org.coopvm.guest.grant;

import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.rings.domain.DomainFiles;
import org.coopvm.rings.mem.Pages;
import org.coopvm.rings.region.RegionHeaderDescriptor;
import org.coopvm.rings.region.RegionType;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@link ForeignMemory} for process guests: maps exactly one page of
 * {@code <run>/dom<granter>/memory} (after reading and checking the region header: magic,
 * version, type, length), read-only for a read-only grant. Closing the mapping unmaps the page.
 *
 * <p>Thread safety: any thread.
 */
public final class FileForeignMemory implements ForeignMemory
{
    private final DomainFiles files;

    /**
     * @param files the run directory's file names.
     */
    public FileForeignMemory(final DomainFiles files)
    {
        this.files = files;
    }

    @Override
    public ForeignMapping map(final int domid, final int frame, final boolean readonly)
    {
        final Path file = files.memory(domid);
        if (frame < 0)
        {
            throw new IllegalStateException("negative frame " + frame);
        }
        final StandardOpenOption[] options = readonly ?
            new StandardOpenOption[] {StandardOpenOption.READ} :
            new StandardOpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE};
        try (FileChannel channel = FileChannel.open(file, options))
        {
            final long pageOffset = RegionHeaderDescriptor.PAYLOAD_OFFSET + (long)frame * Pages.PAGE_SIZE;
            checkHeader(file, channel, pageOffset + Pages.PAGE_SIZE);
            final Arena arena = Arena.ofShared();
            final MemorySegment page = channel.map(
                readonly ? FileChannel.MapMode.READ_ONLY : FileChannel.MapMode.READ_WRITE, pageOffset, Pages.PAGE_SIZE, arena);
            return new ForeignMapping(new UnsafeBuffer(page.address(), Pages.PAGE_SIZE), readonly, arena::close);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot map frame " + frame + " of " + file + ": " + ex, ex);
        }
    }

    private static void checkHeader(final Path file, final FileChannel channel, final long needed) throws IOException
    {
        final ByteBuffer header = ByteBuffer.allocate(RegionHeaderDescriptor.HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        while (header.hasRemaining() && channel.read(header, header.position()) > 0)
        {
            // read the whole header
        }
        if (header.hasRemaining() ||
            header.getInt(RegionHeaderDescriptor.MAGIC_OFFSET) != RegionHeaderDescriptor.MAGIC ||
            header.getInt(RegionHeaderDescriptor.VERSION_OFFSET) != RegionHeaderDescriptor.ABI_VERSION ||
            header.getInt(RegionHeaderDescriptor.TYPE_OFFSET) != RegionType.GUEST_MEMORY.code())
        {
            throw new IllegalStateException(file + " is not a guest memory region");
        }
        final long regionLength = header.getLong(RegionHeaderDescriptor.REGION_LENGTH_OFFSET);
        if (needed > regionLength || needed > channel.size())
        {
            throw new IllegalStateException(file + " holds " + regionLength + " bytes, the page ends at " + needed);
        }
    }
}
