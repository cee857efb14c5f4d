package org.coopvm.rings.blkif;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static org.coopvm.rings.blkif.BlkifRequestDescriptor.*;

/**
 * A flyweight over one block request ({@link BlkifRequestDescriptor}): a frontend writes it in a
 * ring slot; a backend reads it from the private copy it took of the slot, never from the ring
 * (the frontend may rewrite the slot at any time). Accessors read or write the buffer each time.
 *
 * <p>Not thread safe: one thread per flyweight.
 */
public final class BlkifRequest
{
    private DirectBuffer buffer;
    private MutableDirectBuffer mutable;
    private int offset;

    /**
     * @param buffer where the request is (a private copy, for reading).
     * @param offset where it starts.
     * @return this.
     */
    public BlkifRequest wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.mutable = buffer instanceof MutableDirectBuffer writable ? writable : null;
        this.offset = offset;
        return this;
    }

    /** @return the operation byte, unsigned. */
    public int operation()
    {
        return buffer.getByte(offset + OPERATION_OFFSET) & 0xFF;
    }

    /**
     * @return the operation its response carries: an indirect request's {@code indirect_op} (as
     *         Linux blkback answers), any other request's operation.
     */
    public int responseOperation()
    {
        final int operation = operation();
        return operation == OP_INDIRECT ? indirectOp() : operation;
    }

    /** @return {@code nr_segments}, unsigned (the discard flag for a discard request). */
    public int nrSegments()
    {
        return buffer.getByte(offset + NR_SEGMENTS_OFFSET) & 0xFF;
    }

    /** @return {@code handle}, unsigned. */
    public int handle()
    {
        return buffer.getShort(offset + HANDLE_OFFSET) & 0xFFFF;
    }

    /** @return {@code id}. */
    public long id()
    {
        return buffer.getLong(offset + ID_OFFSET);
    }

    /** @return {@code sector_number} (unsigned in C: a negative value is past any disk). */
    public long sectorNumber()
    {
        return buffer.getLong(offset + SECTOR_NUMBER_OFFSET);
    }

    /** @param index 0..10. @return segment {@code index}'s grant reference. */
    public int gref(final int index)
    {
        return buffer.getInt(offset + segmentOffset(index) + BlkifSegmentDescriptor.GREF_OFFSET);
    }

    /** @param index 0..10. @return segment {@code index}'s {@code first_sect}, unsigned. */
    public int firstSect(final int index)
    {
        return buffer.getByte(offset + segmentOffset(index) + BlkifSegmentDescriptor.FIRST_SECT_OFFSET) & 0xFF;
    }

    /** @param index 0..10. @return segment {@code index}'s {@code last_sect}, unsigned. */
    public int lastSect(final int index)
    {
        return buffer.getByte(offset + segmentOffset(index) + BlkifSegmentDescriptor.LAST_SECT_OFFSET) & 0xFF;
    }

    /** @return an indirect request's {@code indirect_op}, unsigned. */
    public int indirectOp()
    {
        return buffer.getByte(offset + INDIRECT_OP_OFFSET) & 0xFF;
    }

    /** @return an indirect request's {@code nr_segments}, unsigned. */
    public int indirectNrSegments()
    {
        return buffer.getShort(offset + INDIRECT_NR_SEGMENTS_OFFSET) & 0xFFFF;
    }

    /** @return an indirect request's {@code handle}, unsigned. */
    public int indirectHandle()
    {
        return buffer.getShort(offset + INDIRECT_HANDLE_OFFSET) & 0xFFFF;
    }

    /** @param page 0..7. @return an indirect request's {@code indirect_grefs[page]}. */
    public int indirectGref(final int page)
    {
        return buffer.getInt(offset + INDIRECT_GREFS_OFFSET + page * Integer.BYTES);
    }

    /** @return a discard request's {@code flag}. */
    public int discardFlag()
    {
        return buffer.getByte(offset + DISCARD_FLAG_OFFSET) & 0xFF;
    }

    /** @return a discard request's {@code nr_sectors} (unsigned in C). */
    public long discardNrSectors()
    {
        return buffer.getLong(offset + DISCARD_NR_SECTORS_OFFSET);
    }

    /**
     * Zero the whole request ({@link BlkifRequestDescriptor#REQUEST_LENGTH} bytes) and write the header.
     *
     * @param operation   an {@code OP_*} value.
     * @param nrSegments  segments that follow (0 for flush without data).
     * @param handle      the device's handle.
     * @param id          the frontend's id for it.
     * @param sectorNumber first sector.
     * @return this.
     */
    public BlkifRequest header(final int operation, final int nrSegments, final int handle, final long id, final long sectorNumber)
    {
        mutable.setMemory(offset, REQUEST_LENGTH, (byte)0);
        mutable.putByte(offset + OPERATION_OFFSET, (byte)operation);
        mutable.putByte(offset + NR_SEGMENTS_OFFSET, (byte)nrSegments);
        mutable.putShort(offset + HANDLE_OFFSET, (short)handle);
        mutable.putLong(offset + ID_OFFSET, id);
        mutable.putLong(offset + SECTOR_NUMBER_OFFSET, sectorNumber);
        return this;
    }

    /**
     * Write segment {@code index}.
     *
     * @param index     0..10.
     * @param gref      the page's grant reference.
     * @param firstSect first sector in the page, inclusive.
     * @param lastSect  last sector in the page, inclusive.
     * @return this.
     */
    public BlkifRequest segment(final int index, final int gref, final int firstSect, final int lastSect)
    {
        BlkifSegmentDescriptor.put(mutable, offset + segmentOffset(index), gref, firstSect, lastSect);
        return this;
    }

    /**
     * Zero the request and write an indirect one ({@code struct blkif_request_indirect}); its
     * segments go into the pages named with {@link #indirectGref(int, int)}.
     *
     * @param indirectOp   {@link BlkifRequestDescriptor#OP_READ} or {@link BlkifRequestDescriptor#OP_WRITE}.
     * @param nrSegments   segments in the indirect pages.
     * @param handle       the device's handle.
     * @param id           the frontend's id.
     * @param sectorNumber first sector.
     * @return this.
     */
    public BlkifRequest indirect(final int indirectOp, final int nrSegments, final int handle, final long id, final long sectorNumber)
    {
        header(OP_INDIRECT, 0, 0, id, sectorNumber);
        mutable.putByte(offset + INDIRECT_OP_OFFSET, (byte)indirectOp);
        mutable.putShort(offset + INDIRECT_NR_SEGMENTS_OFFSET, (short)nrSegments);
        mutable.putShort(offset + INDIRECT_HANDLE_OFFSET, (short)handle);
        return this;
    }

    /**
     * Name indirect page {@code page}.
     *
     * @param page 0..7.
     * @param gref the grant reference of a page of segments.
     * @return this.
     */
    public BlkifRequest indirectGref(final int page, final int gref)
    {
        mutable.putInt(offset + INDIRECT_GREFS_OFFSET + page * Integer.BYTES, gref);
        return this;
    }

    /**
     * Zero the request and write a discard ({@code struct blkif_request_discard}).
     *
     * @param flag         {@link BlkifRequestDescriptor#DISCARD_SECURE} or 0.
     * @param handle       the device's handle.
     * @param id           the frontend's id.
     * @param sectorNumber first sector.
     * @param nrSectors    sectors to discard.
     * @return this.
     */
    public BlkifRequest discard(final int flag, final int handle, final long id, final long sectorNumber, final long nrSectors)
    {
        header(OP_DISCARD, flag, handle, id, sectorNumber);
        mutable.putLong(offset + DISCARD_NR_SECTORS_OFFSET, nrSectors);
        return this;
    }
}
