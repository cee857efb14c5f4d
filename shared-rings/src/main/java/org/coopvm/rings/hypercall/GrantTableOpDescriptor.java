package org.coopvm.rings.hypercall;

/**
 * {@code grant_table_op} (op 20): one grant operation per call; commands, argument offsets
 * (relative to {@link HypercallDescriptor#ARGS_OFFSET}) and output offsets ({@code _OUT_OFFSET},
 * relative to {@link HypercallResponseDescriptor#OUTPUT_OFFSET}). The result is 0 when the
 * operation ran (its GNTST_* status is in the output) or a negative errno when the call itself
 * was malformed.
 *
 * <pre>
 *  GNTTABOP_map_grant_ref   +0 u32 flags, +4 u32 granter dom, +8 u32 ref
 *                           output +0 i32 status, +4 u32 handle, +8 u32 granter dom, +12 u32 frame
 *  GNTTABOP_unmap_grant_ref +0 u32 handle                    output +0 i32 status
 *  GNTTABOP_setup_table     +0 u32 nr_frames                 output +0 i32 status
 *  GNTTABOP_copy            +0 u32 src ref or frame, +4 u32 src dom, +8 u16 src offset,
 *                           +10 u32 dst ref or frame, +14 u32 dst dom, +18 u16 dst offset,
 *                           +20 u16 len, +22 u16 flags      output +0 i32 status
 *  GNTTABOP_query_size      output +0 u32 nr_frames, +4 u32 max_nr_frames, +8 i32 status
 * </pre>
 */
public final class GrantTableOpDescriptor
{
    /** Command: map a granted frame. */
    public static final int GNTTABOP_MAP_GRANT_REF = 0;
    /** Command: unmap by handle. */
    public static final int GNTTABOP_UNMAP_GRANT_REF = 1;
    /** Command: size the caller's grant table. */
    public static final int GNTTABOP_SETUP_TABLE = 2;
    /** Command: copy bytes between granted or own frames. */
    public static final int GNTTABOP_COPY = 5;
    /** Command: the caller's table size. */
    public static final int GNTTABOP_QUERY_SIZE = 6;

    /** map: flags (u32), see {@link #GNTMAP_READONLY}. */
    public static final int MAP_FLAGS_OFFSET = 0;
    /** map: the granting domain (u32). */
    public static final int MAP_DOM_OFFSET = 4;
    /** map: the grant reference (u32). */
    public static final int MAP_REF_OFFSET = 8;
    /** map output: status (i32). */
    public static final int MAP_STATUS_OUT_OFFSET = 0;
    /** map output: the handle to unmap with (u32). */
    public static final int MAP_HANDLE_OUT_OFFSET = 4;
    /** map output: the granting domain (u32). */
    public static final int MAP_DOM_OUT_OFFSET = 8;
    /** map output: the frame in the granter's memory region (u32). */
    public static final int MAP_FRAME_OUT_OFFSET = 12;
    /** unmap: the handle (u32). */
    public static final int UNMAP_HANDLE_OFFSET = 0;
    /** setup_table: frames wanted (u32). */
    public static final int SETUP_NR_FRAMES_OFFSET = 0;
    /** copy: source ref, or frame of the caller's own memory (u32). */
    public static final int COPY_SRC_REF_OFFSET = 0;
    /** copy: source domain (u32). */
    public static final int COPY_SRC_DOM_OFFSET = 4;
    /** copy: offset in the source page (u16). */
    public static final int COPY_SRC_PAGE_OFFSET = 8;
    /** copy: destination ref, or frame of the caller's own memory (u32). */
    public static final int COPY_DST_REF_OFFSET = 10;
    /** copy: destination domain (u32). */
    public static final int COPY_DST_DOM_OFFSET = 14;
    /** copy: offset in the destination page (u16). */
    public static final int COPY_DST_PAGE_OFFSET = 18;
    /** copy: bytes to copy (u16). */
    public static final int COPY_LEN_OFFSET = 20;
    /** copy: flags (u16), {@link #GNTCOPY_SOURCE_GREF}, {@link #GNTCOPY_DEST_GREF}. */
    public static final int COPY_FLAGS_OFFSET = 22;
    /** Bytes of copy's arguments. */
    public static final int COPY_ARGS_LENGTH = 24;
    /** Output of unmap, setup_table and copy: status (i32). */
    public static final int STATUS_OUT_OFFSET = 0;
    /** query_size output: current frames (u32). */
    public static final int QUERY_NR_FRAMES_OUT_OFFSET = 0;
    /** query_size output: maximum frames (u32). */
    public static final int QUERY_MAX_FRAMES_OUT_OFFSET = 4;
    /** query_size output: status (i32). */
    public static final int QUERY_STATUS_OUT_OFFSET = 8;

    /** Map flag: read-only mapping. */
    public static final int GNTMAP_READONLY = 1 << 2;
    /** Copy flag: the source is a grant ref (else a frame of the caller's memory). */
    public static final int GNTCOPY_SOURCE_GREF = 1;
    /** Copy flag: the destination is a grant ref (else a frame of the caller's memory). */
    public static final int GNTCOPY_DEST_GREF = 1 << 1;

    private GrantTableOpDescriptor()
    {
    }
}
