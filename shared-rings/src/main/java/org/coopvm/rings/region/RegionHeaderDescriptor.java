package org.coopvm.rings.region;

import org.coopvm.rings.mem.Pages;

/**
 * Layout of the header at the start of every shared region. Integers are little-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     magic "COOP" (u32)                        |  0
 *  +---------------------------------------------------------------+
 *  |                     ABI version (u32)                         |  4
 *  +---------------------------------------------------------------+
 *  |                     region length in bytes (u64)              |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                     owner domid (u32)                         | 16
 *  +---------------------------------------------------------------+
 *  |                     region type (u32)                         | 20
 *  +---------------------------------------------------------------+
 *  |                     creator pid (u64)                         | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                     reserved, zero (32 bytes)                 | 32..63
 *  +---------------------------------------------------------------+
 *  |                     rest of the header page, zero             | 64..4095
 *  +---------------------------------------------------------------+
 *  |                     payload (page aligned)                    | 4096..
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * The creator writes every field, then stores the magic with release semantics; an attacher
 * reads the magic with acquire semantics, so it sees either no magic or a complete header.
 * The header takes a whole page so that the payload is page aligned and its pages can be
 * granted one by one.
 */
public final class RegionHeaderDescriptor
{
    /** "COOP" read as a little-endian u32. */
    public static final int MAGIC = 0x504F_4F43;

    /** The ABI version this build writes and accepts. Bump on any incompatible layout change. */
    public static final int ABI_VERSION = 1;

    /** Offset of the magic (u32). */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the ABI version (u32). */
    public static final int VERSION_OFFSET = 4;
    /** Offset of the whole region's length in bytes (u64). */
    public static final int REGION_LENGTH_OFFSET = 8;
    /** Offset of the owning domain's id (u32). */
    public static final int OWNER_DOMID_OFFSET = 16;
    /** Offset of the {@link RegionType} code (u32). */
    public static final int TYPE_OFFSET = 20;
    /** Offset of the creating process's pid (u64). */
    public static final int CREATOR_PID_OFFSET = 24;
    /** Bytes of header fields, reserved space included. */
    public static final int HEADER_LENGTH = 64;
    /** Offset of the payload: the header occupies the first page. */
    public static final int PAYLOAD_OFFSET = Pages.PAGE_SIZE;

    private RegionHeaderDescriptor()
    {
    }

    /**
     * @param payloadLength bytes of payload wanted.
     * @return the region length holding the header page and the payload rounded up to pages.
     */
    public static long regionLength(final long payloadLength)
    {
        return PAYLOAD_OFFSET + Pages.roundUp(payloadLength);
    }
}
