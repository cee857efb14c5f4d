package org.coopvm.rings.blkif;

/**
 * Layout of Xen's block request ({@code struct blkif_request} in {@code io/blkif.h}) on x86-64:
 * one 112-byte slot of a blkif ring, written by the frontend. Read and write requests carry up to
 * {@link #MAX_SEGMENTS} segments ({@link BlkifSegmentDescriptor}) from {@link #SEGMENTS_OFFSET};
 * a discard request ({@code struct blkif_request_discard}, same slot) has a flag byte where
 * {@code nr_segments} is and a sector count where the segments start.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+-------------------------------+
 *  |  operation    | nr_segments   |        handle (u16)           |   0
 *  |               | (discard:flag)|                               |
 *  +---------------+---------------+-------------------------------+
 *  |                 padding (4 bytes, for the u64 that follows)   |   4
 *  +---------------------------------------------------------------+
 *  |                 id (u64): the frontend's, echoed in the       |   8
 *  |                 response                                      |
 *  +---------------------------------------------------------------+
 *  |                 sector_number (u64): first 512-byte sector    |  16
 *  +---------------------------------------------------------------+
 *  |  seg[0..10]: 11 x {gref u32, first_sect u8, last_sect u8,     |  24
 *  |  pad 2}          (discard: nr_sectors u64 at 24)              |
 *  +---------------------------------------------------------------+
 *  |                 end: 24 + 11 x 8 = 112                        | 112
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>An indirect request ({@code struct blkif_request_indirect}, {@link #OP_INDIRECT}, only when the
 * backend wrote {@code feature-max-indirect-segments}) keeps {@code id} and {@code sector_number}
 * where they are but names up to {@link #MAX_INDIRECT_PAGES_PER_REQUEST} granted pages that hold
 * its segments, {@link #SEGMENTS_PER_INDIRECT_PAGE} to a page from the page's start, each laid out
 * as {@link BlkifSegmentDescriptor}:
 *
 * <pre>
 *  +---------------+---------------+-------------------------------+
 *  |  operation (6)| indirect_op   |     nr_segments (u16)         |   0
 *  +---------------+---------------+-------------------------------+
 *  |  padding (4)  | id (u64) at 8, sector_number (u64) at 16      |   4
 *  +-------------------------------+-------------------------------+
 *  |     handle (u16)              |  padding (2)                  |  24
 *  +-------------------------------+-------------------------------+
 *  |  indirect_grefs[0..7] (u32 each)                              |  28
 *  +---------------------------------------------------------------+
 *  |  padding to 64                                                |  60
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Stateless; any thread may call it.
 */
public final class BlkifRequestDescriptor
{
    /** Offset of {@code operation} (u8): one of the {@code OP_*} values. */
    public static final int OPERATION_OFFSET = 0;
    /** Offset of {@code nr_segments} (u8), 1..11 for read and write. */
    public static final int NR_SEGMENTS_OFFSET = 1;
    /** Offset of {@code handle} (u16, {@code blkif_vdev_t}): the device, for read and write. */
    public static final int HANDLE_OFFSET = 2;
    /** Offset of {@code id} (u64): private to the frontend, echoed in the response. */
    public static final int ID_OFFSET = 8;
    /** Offset of {@code sector_number} (u64): first sector, in 512-byte units. */
    public static final int SECTOR_NUMBER_OFFSET = 16;
    /** Offset of {@code seg[0]}; segment {@code i} is at {@code SEGMENTS_OFFSET + i * 8}. */
    public static final int SEGMENTS_OFFSET = 24;
    /** Offset of an indirect request's {@code indirect_op} (u8): {@link #OP_READ} or {@link #OP_WRITE}. */
    public static final int INDIRECT_OP_OFFSET = 1;
    /** Offset of an indirect request's {@code nr_segments} (u16). */
    public static final int INDIRECT_NR_SEGMENTS_OFFSET = 2;
    /** Offset of an indirect request's {@code handle} (u16). */
    public static final int INDIRECT_HANDLE_OFFSET = 24;
    /** Offset of an indirect request's {@code indirect_grefs[0]} (u32 each). */
    public static final int INDIRECT_GREFS_OFFSET = 28;
    /** {@code BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST}: most pages of segments one indirect request names. */
    public static final int MAX_INDIRECT_PAGES_PER_REQUEST = 8;
    /** Segments in one indirect page: {@code PAGE_SIZE / sizeof(struct blkif_request_segment)}. */
    public static final int SEGMENTS_PER_INDIRECT_PAGE = 4096 / BlkifSegmentDescriptor.SEGMENT_LENGTH;
    /** Offset of a discard request's {@code flag} (u8): {@link #DISCARD_SECURE} or 0. */
    public static final int DISCARD_FLAG_OFFSET = 1;
    /** Offset of a discard request's {@code nr_sectors} (u64). */
    public static final int DISCARD_NR_SECTORS_OFFSET = 24;

    /** {@code BLKIF_MAX_SEGMENTS_PER_REQUEST}. */
    public static final int MAX_SEGMENTS = 11;
    /** {@code sizeof(struct blkif_request)}. */
    public static final int REQUEST_LENGTH = SEGMENTS_OFFSET + MAX_SEGMENTS * BlkifSegmentDescriptor.SEGMENT_LENGTH;

    /** {@code BLKIF_OP_READ}. */
    public static final int OP_READ = 0;
    /** {@code BLKIF_OP_WRITE}. */
    public static final int OP_WRITE = 1;
    /** {@code BLKIF_OP_WRITE_BARRIER}: a write ordered after everything before it, and durable with it. */
    public static final int OP_WRITE_BARRIER = 2;
    /** {@code BLKIF_OP_FLUSH_DISKCACHE}: make every completed write durable; may carry data as a write. */
    public static final int OP_FLUSH_DISKCACHE = 3;
    /** {@code BLKIF_OP_DISCARD}: the sectors' contents are no longer needed (they read back as zeros here). */
    public static final int OP_DISCARD = 5;
    /** {@code BLKIF_OP_INDIRECT}: a read or write whose segments are in granted pages ({@code struct blkif_request_indirect}). */
    public static final int OP_INDIRECT = 6;
    /** {@code BLKIF_DISCARD_SECURE}: the discarded data must be unrecoverable. */
    public static final int DISCARD_SECURE = 1;

    /** Bytes of a sector, the unit of {@code sector_number}, {@code first_sect} and {@code last_sect}. */
    public static final int SECTOR_SIZE = 512;
    /** Sectors in a 4 KiB page: {@code last_sect} is at most 7. */
    public static final int SECTORS_PER_PAGE = 8;

    private BlkifRequestDescriptor()
    {
    }

    /**
     * @param index a segment index, 0..10.
     * @return the offset of segment {@code index} from the start of the request.
     */
    public static int segmentOffset(final int index)
    {
        return SEGMENTS_OFFSET + index * BlkifSegmentDescriptor.SEGMENT_LENGTH;
    }

    /**
     * @param segments segments of an indirect request.
     * @return the pages that hold them: {@code ceil(segments / SEGMENTS_PER_INDIRECT_PAGE)}.
     */
    public static int indirectPages(final int segments)
    {
        return (segments + SEGMENTS_PER_INDIRECT_PAGE - 1) / SEGMENTS_PER_INDIRECT_PAGE;
    }

    /**
     * @param operation an operation byte.
     * @return Xen's name for it ({@code read}, {@code write}, ...), or {@code op<n>}.
     */
    public static String operationName(final int operation)
    {
        return switch (operation)
        {
            case OP_READ -> "read";
            case OP_WRITE -> "write";
            case OP_WRITE_BARRIER -> "write_barrier";
            case OP_FLUSH_DISKCACHE -> "flush";
            case OP_DISCARD -> "discard";
            case OP_INDIRECT -> "indirect";
            default -> "op" + operation;
        };
    }
}
