package org.coopvm.guest.block;

import org.coopvm.rings.blkif.BlkifRequest;
import org.coopvm.rings.blkif.BlkifRequestDescriptor;
import org.coopvm.rings.mem.Pages;

/**
 * One ring request of a {@link BlockOp}: an operation on {@link #sectors} sectors from
 * {@link #sector}, with its data at byte {@link #offset} of a {@link BlockBuffer} (at most 11
 * pages of it), or a discard of {@link #sectors} sectors, or a flush.
 *
 * <p>Thread safety: guarded by the frontend's lock.
 */
final class RingRequest
{
    /** Most sectors one ring request can move from a byte offset in a page: up to the end of its 11th page. */
    static final int MAX_BYTES = BlkifRequestDescriptor.MAX_SEGMENTS * Pages.PAGE_SIZE;

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
     * @param offset byte offset in a buffer.
     * @param left   sectors still to move.
     * @return how many of them one ring request takes from there.
     */
    static int sectorsFrom(final long offset, final long left)
    {
        final int inPage = (int)(offset % Pages.PAGE_SIZE);
        return (int)Math.min(left, (MAX_BYTES - inPage) / BlkifRequestDescriptor.SECTOR_SIZE);
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
        request.header(operation, segments(), handle, id, sector);
        long at = offset;
        long left = sectors;
        for (int segment = 0; left > 0; segment++)
        {
            final int first = (int)(at % Pages.PAGE_SIZE) / BlkifRequestDescriptor.SECTOR_SIZE;
            final int count = (int)Math.min(left, BlkifRequestDescriptor.SECTORS_PER_PAGE - first);
            request.segment(segment, buffer.gref((int)(at / Pages.PAGE_SIZE)), first, first + count - 1);
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
