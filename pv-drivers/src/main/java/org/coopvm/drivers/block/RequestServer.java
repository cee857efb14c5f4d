package org.coopvm.drivers.block;

import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.grant.GrantMapping;
import org.coopvm.rings.blkif.BlkifRequest;
import org.coopvm.rings.blkif.BlkifResponseDescriptor;
import org.coopvm.rings.blkif.BlkifSegmentDescriptor;
import org.coopvm.rings.mem.Pages;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;

import static org.coopvm.rings.blkif.BlkifRequestDescriptor.*;

/**
 * Serves one block request from its private copy: validates it (operation, read-only disk,
 * segment count, sectors of each segment, range on the disk, grants), then moves the data
 * between the image and the mapped guest pages with positional {@link java.nio.channels.FileChannel}
 * I/O straight into the guest's memory (no copy in dom0). Segments whose pages are consecutive
 * frames and whose sectors join up are moved with one call. A flush forces the image; a barrier
 * forces it before and after its write (the ring is served in order, so everything before has
 * completed); a flush with segments writes them first. An indirect read or write
 * ({@code BLKIF_OP_INDIRECT}) has its segments copied once out of the pages it names, then is
 * served as a plain one. Every refusal is a {@link BlockError}, counted, and answered with its status.
 *
 * <p>Not thread safe: the device's ring agent only.
 */
final class RequestServer
{
    /**
     * Most segments of one indirect request, written as {@code feature-max-indirect-segments}:
     * Linux blkback's {@code MAX_INDIRECT_SEGMENTS} (1 MiB of 4 KiB pages, one indirect page).
     */
    static final int MAX_INDIRECT_SEGMENTS = 256;
    /** Most pages one request maps: its segments and, for an indirect request, the pages that list them. */
    static final int MAX_PAGES_PER_REQUEST = MAX_INDIRECT_SEGMENTS + MAX_INDIRECT_PAGES_PER_REQUEST;

    private final DiskImage image;
    private final Domain guest;
    private final MemorySegment guestMemory;
    private final GrantPages grants;
    private final VbdCounters counters;
    private final long[] frames = new long[MAX_INDIRECT_SEGMENTS];
    private final int[] grefs = new int[MAX_INDIRECT_SEGMENTS];
    private final int[] firstSect = new int[MAX_INDIRECT_SEGMENTS];
    private final int[] lastSect = new int[MAX_INDIRECT_SEGMENTS];

    /**
     * @param image    the disk.
     * @param guest    the frontend's domain (whose pages requests name).
     * @param grants   the ring's grant mappings.
     * @param counters the device's counters.
     */
    RequestServer(final DiskImage image, final Domain guest, final GrantPages grants, final VbdCounters counters)
    {
        this.image = image;
        this.guest = guest;
        this.guestMemory = guest.regions().memory().payload();
        this.grants = grants;
        this.counters = counters;
    }

    /**
     * @param request the private copy of a request.
     * @return the response status.
     */
    short serve(final BlkifRequest request)
    {
        final int operation = request.operation();
        counters.request(request.responseOperation());
        final BlockError error = switch (operation)
        {
            case OP_READ -> transfer(request, false);
            case OP_WRITE -> writable() ? transfer(request, true) : BlockError.READ_ONLY;
            case OP_INDIRECT -> indirect(request);
            case OP_WRITE_BARRIER -> writable() ? barrier(request) : BlockError.READ_ONLY;
            case OP_FLUSH_DISKCACHE -> writable() ? flush(request) : BlockError.READ_ONLY;
            case OP_DISCARD -> writable() ? discard(request) : BlockError.READ_ONLY;
            default -> BlockError.UNSUPPORTED_OPERATION;
        };
        if (error == null)
        {
            return BlkifResponseDescriptor.STATUS_OKAY;
        }
        counters.error(error);
        return error.status();
    }

    private boolean writable()
    {
        return !image.readOnly();
    }

    private BlockError barrier(final BlkifRequest request)
    {
        final BlockError before = force();
        if (before != null)
        {
            return before;
        }
        final BlockError written = request.nrSegments() == 0 ? null : transfer(request, true);
        return written != null ? written : force();
    }

    private BlockError flush(final BlkifRequest request)
    {
        final BlockError written = request.nrSegments() == 0 ? null : transfer(request, true);
        return written != null ? written : force();
    }

    private BlockError force()
    {
        try
        {
            image.flush();
            counters.add(VbdCounters.Value.FORCES, 1);
            return null;
        }
        catch (final IOException ex)
        {
            return BlockError.IO_ERROR;
        }
    }

    private BlockError discard(final BlkifRequest request)
    {
        final long sector = request.sectorNumber();
        final long count = request.discardNrSectors();
        if (!withinDisk(sector, count))
        {
            return BlockError.BEYOND_END;
        }
        try
        {
            image.discard(sector * SECTOR_SIZE, count * SECTOR_SIZE);
            return null;
        }
        catch (final IOException ex)
        {
            return BlockError.IO_ERROR;
        }
    }

    /** Read ({@code toImage} false) or write the request's segments (in the request). */
    private BlockError transfer(final BlkifRequest request, final boolean toImage)
    {
        final int segments = request.nrSegments();
        if (segments < 1 || segments > MAX_SEGMENTS)
        {
            return BlockError.BAD_SEGMENT_COUNT;
        }
        for (int i = 0; i < segments; i++)
        {
            grefs[i] = request.gref(i);
            firstSect[i] = request.firstSect(i);
            lastSect[i] = request.lastSect(i);
        }
        try
        {
            return transferSegments(request.sectorNumber(), segments, toImage);
        }
        finally
        {
            grants.releaseTransient();
        }
    }

    /**
     * An indirect read or write: its segments are copied once out of the pages it names (mapped
     * read-only, or kept with persistent grants, as Linux blkback does), then served as any.
     */
    private BlockError indirect(final BlkifRequest request)
    {
        final int operation = request.indirectOp();
        if (operation != OP_READ && operation != OP_WRITE)
        {
            return BlockError.UNSUPPORTED_OPERATION;
        }
        if (operation == OP_WRITE && !writable())
        {
            return BlockError.READ_ONLY;
        }
        final int segments = request.indirectNrSegments();
        if (segments < 1 || segments > MAX_INDIRECT_SEGMENTS)
        {
            return BlockError.BAD_SEGMENT_COUNT;
        }
        counters.add(VbdCounters.Value.INDIRECT_REQUESTS, 1);
        try
        {
            return copySegmentLists(request, segments) ? transferSegments(request.sectorNumber(), segments, operation == OP_WRITE)
                : BlockError.BAD_GREF;
        }
        finally
        {
            grants.releaseTransient();
        }
    }

    /** @return false when a page of segments does not map. */
    private boolean copySegmentLists(final BlkifRequest request, final int segments)
    {
        for (int page = 0; page < indirectPages(segments); page++)
        {
            final GrantMapping mapping = grants.map(request.indirectGref(page), false);
            if (mapping == null || mapping.granter() != guest)
            {
                return false;
            }
            final long base = mapping.frame() * Pages.PAGE_SIZE;
            final int first = page * SEGMENTS_PER_INDIRECT_PAGE;
            for (int i = first; i < Math.min(segments, first + SEGMENTS_PER_INDIRECT_PAGE); i++)
            {
                final long at = base + (long)(i - first) * BlkifSegmentDescriptor.SEGMENT_LENGTH;
                grefs[i] = guestMemory.get(ValueLayout.JAVA_INT_UNALIGNED, at + BlkifSegmentDescriptor.GREF_OFFSET);
                firstSect[i] = guestMemory.get(ValueLayout.JAVA_BYTE, at + BlkifSegmentDescriptor.FIRST_SECT_OFFSET) & 0xFF;
                lastSect[i] = guestMemory.get(ValueLayout.JAVA_BYTE, at + BlkifSegmentDescriptor.LAST_SECT_OFFSET) & 0xFF;
            }
        }
        return true;
    }

    /** Validate the private copy of the segments, map their pages and move the data. */
    private BlockError transferSegments(final long firstSector, final int segments, final boolean toImage)
    {
        long sectors = 0;
        for (int i = 0; i < segments; i++)
        {
            if (firstSect[i] > lastSect[i] || lastSect[i] >= SECTORS_PER_PAGE)
            {
                return BlockError.BAD_SEGMENT_SECTORS;
            }
            sectors += lastSect[i] - firstSect[i] + 1;
        }
        if (!withinDisk(firstSector, sectors))
        {
            return BlockError.BEYOND_END;
        }
        return mapFrames(segments, !toImage) ? move(firstSector, segments, toImage) : BlockError.BAD_GREF;
    }

    private boolean mapFrames(final int segments, final boolean backendWrites)
    {
        for (int i = 0; i < segments; i++)
        {
            final GrantMapping mapping = grants.map(grefs[i], backendWrites);
            if (mapping == null || mapping.granter() != guest)
            {
                return false;
            }
            frames[i] = mapping.frame();
        }
        return true;
    }

    /** Move the data, one call per run of segments that join up in guest memory. */
    private BlockError move(final long firstSector, final int segments, final boolean toImage)
    {
        long position = firstSector * SECTOR_SIZE;
        int start = 0;
        while (start < segments)
        {
            int end = start;
            while (end + 1 < segments && lastSect[end] == SECTORS_PER_PAGE - 1 && firstSect[end + 1] == 0 &&
                frames[end + 1] == frames[end] + 1)
            {
                end++;
            }
            final long bytes = (long)(end - start) * Pages.PAGE_SIZE + (lastSect[end] + 1L) * SECTOR_SIZE -
                (long)firstSect[start] * SECTOR_SIZE;
            final ByteBuffer pages = guestMemory.asSlice(frames[start] * Pages.PAGE_SIZE + (long)firstSect[start] * SECTOR_SIZE, bytes)
                .asByteBuffer();
            try
            {
                if (toImage)
                {
                    image.write(pages, position);
                }
                else
                {
                    image.read(pages, position);
                }
            }
            catch (final IOException ex)
            {
                return BlockError.IO_ERROR;
            }
            counters.add(toImage ? VbdCounters.Value.BYTES_WRITTEN : VbdCounters.Value.BYTES_READ, bytes);
            position += bytes;
            start = end + 1;
        }
        return null;
    }

    private boolean withinDisk(final long sector, final long count)
    {
        final long disk = image.sectors();
        return sector >= 0 && count >= 0 && sector <= disk && count <= disk - sector;
    }
}
