package org.coopvm.guest.block;

import org.agrona.MutableDirectBuffer;
import org.coopvm.rings.blkif.BlkifRequest;
import org.coopvm.rings.blkif.BlkifRequestDescriptor;
import org.coopvm.rings.blkif.BlkifSegmentDescriptor;
import org.coopvm.rings.mem.Pages;

/**
 * One ring request of a {@link BlockOp}: an operation on {@link #sectors} sectors from
 * {@link #sector}, with its data at byte {@link #offset} of a {@link BlockBuffer} (at most 11
 * pages of it, or as many as the backend's {@code feature-max-indirect-segments} allows for a
 * read or write sent indirect), or a discard of {@link #sectors} sectors, or a flush.
 *
 * <p>Thread safety: guarded by the frontend's lock.
 */
final class RingRequest
{

    final int operation;
    final long sector;
    final BlockBuffer buffer;
    final long offset;
    final long sectors;
    final BlockOp op;

    RingRequest(final int operation, final long sector, final BlockBuffer buffer, final long offset, final long sectors, final BlockOp op)
    {
        this.operation = operation;
        this.sector = sector;
        this.buffer = buffer;
        this.offset = offset;
        this.sectors = sectors;
        this.op = op;
    }

    /**
     * @param offset      byte offset in a buffer.
     * @param left        sectors still to move.
     * @param maxSegments most pages one ring request may name.
     * @return how many of them one ring request takes from there: up to the end of its last page.
     */
    static int sectorsFrom(final long offset, final long left, final int maxSegments)
    {
        final int inPage = (int)(offset % Pages.PAGE_SIZE);
        return (int)Math.min(left, ((long)maxSegments * Pages.PAGE_SIZE - inPage) / BlkifRequestDescriptor.SECTOR_SIZE);
    }

    /** @return whether it is a read or write of more pages than a ring slot lists (it goes indirect). */
    boolean needsIndirect()
    {
        return buffer != null && segments() > BlkifRequestDescriptor.MAX_SEGMENTS &&
            (operation == BlkifRequestDescriptor.OP_READ || operation == BlkifRequestDescriptor.OP_WRITE);
    }

    /**
     * Write it into a ring slot as an indirect request, its segments into its slot's indirect page.
     *
     * @param request      the flyweight over the slot.
     * @param handle       the device's handle.
     * @param id           the id the response will carry.
     * @param indirectPage the slot's indirect page.
     * @param indirectGref its grant reference.
     */
    void writeIndirect(final BlkifRequest request, final int handle, final long id, final MutableDirectBuffer indirectPage,
        final int indirectGref)
    {
        writeSegments((index, gref, first, last) ->
            BlkifSegmentDescriptor.put(indirectPage, index * BlkifSegmentDescriptor.SEGMENT_LENGTH, gref, first, last));
        request.indirect(operation, segments(), handle, id, sector).indirectGref(0, indirectGref);
    }

    /**
     * Write it into a ring slot.
     *
     * @param request the flyweight over the slot.
     * @param handle  the device's handle.
     * @param id      the id the response will carry.
     */
    void writeTo(final BlkifRequest request, final int handle, final long id)
    {
        if (operation == BlkifRequestDescriptor.OP_DISCARD)
        {
            request.discard(0, handle, id, sector, sectors);
            return;
        }
        if (buffer == null)
        {
            request.header(operation, 0, handle, id, sector);
            return;
        }
        final int segments = segments();
        if (segments > BlkifRequestDescriptor.MAX_SEGMENTS)
        {
            // made for a ring with indirect pages that went: the backend refuses the count, the request fails with EIO
            request.header(operation, segments, handle, id, sector);
            return;
        }
        request.header(operation, segments, handle, id, sector);
        writeSegments(request::segment);
    }

    /** Where a segment goes: a ring slot or an indirect page. */
    @FunctionalInterface
    private interface SegmentSink
    {
        void segment(int index, int gref, int firstSect, int lastSect);
    }

    private void writeSegments(final SegmentSink sink)
    {
        long at = offset;
        long left = sectors;
        for (int segment = 0; left > 0; segment++)
        {
            final int first = (int)(at % Pages.PAGE_SIZE) / BlkifRequestDescriptor.SECTOR_SIZE;
            final int count = (int)Math.min(left, BlkifRequestDescriptor.SECTORS_PER_PAGE - first);
            sink.segment(segment, buffer.gref((int)(at / Pages.PAGE_SIZE)), first, first + count - 1);
            at += (long)count * BlkifRequestDescriptor.SECTOR_SIZE;
            left -= count;
        }
    }

    private int segments()
    {
        final long firstPage = offset / Pages.PAGE_SIZE;
        final long lastPage = (offset + sectors * BlkifRequestDescriptor.SECTOR_SIZE - 1) / Pages.PAGE_SIZE;
        return (int)(lastPage - firstPage + 1);
    }
}
