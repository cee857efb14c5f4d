package org.coopvm.rings.grant;

import org.coopvm.rings.region.RegionType;

/**
 * Layout of one v1 grant entry, Xen's {@code grant_entry_v1_t}; entry {@code r} of a
 * {@link RegionType#GRANT_TABLE} region is at payload offset {@code r * 8}. Offsets are from the
 * start of the entry.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |         flags (u16)           |      grantee domid (u16)      |  0
 *  +-------------------------------+-------------------------------+
 *  |         frame: page number in the granter's memory (u32)      |  4
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Flags: type in bits 0-1 ({@link #GTF_INVALID}, {@link #GTF_PERMIT_ACCESS},
 * {@link #GTF_ACCEPT_TRANSFER}, {@link #GTF_TRANSITIVE}), {@link #GTF_READONLY}, and the in-use
 * bits {@link #GTF_READING} / {@link #GTF_WRITING} that only the hypervisor sets. As a little-endian
 * u64 the entry is {@code flags | domid << 16 | frame << 32}: both sides change flags with an
 * atomic operation on that whole u64, so a change of domid or frame makes a CAS fail.
 */
public final class GrantEntryDescriptor
{
    /** Offset of the flags (u16). */
    public static final int FLAGS_OFFSET = 0;
    /** Offset of the grantee's domid (u16). */
    public static final int DOMID_OFFSET = 2;
    /** Offset of the frame (u32). */
    public static final int FRAME_OFFSET = 4;
    /** Bytes of one v1 entry. */
    public static final int ENTRY_LENGTH = 8;

    /** Type: the entry grants nothing. */
    public static final int GTF_INVALID = 0;
    /** Type: the grantee may map or copy the frame. */
    public static final int GTF_PERMIT_ACCESS = 1;
    /** Type: the grantee may transfer a page in (not supported by CoopVM). */
    public static final int GTF_ACCEPT_TRANSFER = 2;
    /** Type: transitive grant (v2 only; rejected). */
    public static final int GTF_TRANSITIVE = 3;
    /** Mask of the type bits. */
    public static final int GTF_TYPE_MASK = 3;
    /** The grantee may only read. */
    public static final int GTF_READONLY = 1 << 2;
    /** Set by the hypervisor while the grantee reads the frame. */
    public static final int GTF_READING = 1 << 3;
    /** Set by the hypervisor while the grantee may write the frame. */
    public static final int GTF_WRITING = 1 << 4;

    /** Entries per 4 KiB grant table frame. */
    public static final int ENTRIES_PER_FRAME = 4096 / ENTRY_LENGTH;
    /** Default maximum number of grant table frames (Xen's default). */
    public static final int DEFAULT_MAX_FRAMES = 64;
    /** Default maximum entries: 64 frames of 512. */
    public static final int DEFAULT_MAX_ENTRIES = DEFAULT_MAX_FRAMES * ENTRIES_PER_FRAME;
    /** Reserved ref for the console ring. */
    public static final int GNTTAB_RESERVED_CONSOLE = 0;
    /** Reserved ref for the xenstore ring. */
    public static final int GNTTAB_RESERVED_XENSTORE = 1;
    /** Refs below this are reserved. */
    public static final int NR_RESERVED_ENTRIES = 2;
    /** Most attempts the hypervisor makes to set the in-use bits before failing as "unstable". */
    public static final int MAX_CAS_ATTEMPTS = 5;

    private GrantEntryDescriptor()
    {
    }

    /**
     * @param ref the grant reference.
     * @return the payload offset of its entry.
     */
    public static long entryOffset(final int ref)
    {
        return (long)ref * ENTRY_LENGTH;
    }

    /**
     * @param entry an entry read as one little-endian u64.
     * @return its flags.
     */
    public static int flags(final long entry)
    {
        return (int)(entry & 0xFFFF);
    }

    /**
     * @param entry an entry read as one little-endian u64.
     * @return its grantee domid.
     */
    public static int domid(final long entry)
    {
        return (int)((entry >>> 16) & 0xFFFF);
    }

    /**
     * @param entry an entry read as one little-endian u64.
     * @return its frame, unsigned.
     */
    public static long frame(final long entry)
    {
        return entry >>> 32;
    }
}
