package org.coopvm.rings.blkif;

import org.agrona.MutableDirectBuffer;

/**
 * Layout of one segment of a block request ({@code struct blkif_request_segment} in
 * {@code io/blkif.h}): a granted 4 KiB page of the frontend and the sectors of it to transfer,
 * {@code first_sect..last_sect} inclusive, in 512-byte units (0..7). Offsets are from the start of
 * the segment; segment {@code i} of a request is at {@link BlkifRequestDescriptor#segmentOffset}.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 gref (u32): grant reference of the page       |  0
 *  +---------------+---------------+-------------------------------+
 *  |  first_sect   |  last_sect    |     padding (2 bytes)         |  4
 *  +---------------+---------------+-------------------------------+
 * </pre>
 *
 * <p>Stateless; any thread may call it.
 */
public final class BlkifSegmentDescriptor
{
    /** Offset of {@code gref} (u32). */
    public static final int GREF_OFFSET = 0;
    /** Offset of {@code first_sect} (u8): first sector of the page, inclusive. */
    public static final int FIRST_SECT_OFFSET = 4;
    /** Offset of {@code last_sect} (u8): last sector of the page, inclusive. */
    public static final int LAST_SECT_OFFSET = 5;
    /** {@code sizeof(struct blkif_request_segment)}, padding included. */
    public static final int SEGMENT_LENGTH = 8;

    private BlkifSegmentDescriptor()
    {
    }

    /**
     * Write one segment (in a request slot or an indirect page); the padding is left as it is.
     *
     * @param buffer    where.
     * @param offset    the segment's start.
     * @param gref      the page's grant reference.
     * @param firstSect first sector in the page, inclusive.
     * @param lastSect  last sector in the page, inclusive.
     */
    public static void put(final MutableDirectBuffer buffer, final int offset, final int gref, final int firstSect, final int lastSect)
    {
        buffer.putInt(offset + GREF_OFFSET, gref);
        buffer.putByte(offset + FIRST_SECT_OFFSET, (byte)firstSect);
        buffer.putByte(offset + LAST_SECT_OFFSET, (byte)lastSect);
    }
}
