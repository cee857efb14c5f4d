package org.coopvm.rings.xenstore;

/**
 * Layout of Xen's {@code struct xsd_sockmsg}, the 16-byte header before every XenStore message
 * on a socket or a ring, little-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 type (u32, XsMessageType)                     |  0
 *  +---------------------------------------------------------------+
 *  |                 req_id (u32, echoed in the reply)             |  4
 *  +---------------------------------------------------------------+
 *  |                 tx_id (u32, 0 = no transaction)               |  8
 *  +---------------------------------------------------------------+
 *  |                 len (u32, payload bytes, at most 4096)        | 12
 *  +---------------------------------------------------------------+
 *  |                 payload: NUL-separated strings ...            | 16
 * </pre>
 *
 * <p>Thread safety: constants only.
 */
public final class XsHeaderDescriptor
{
    /** Offset of the message type (u32). */
    public static final int TYPE_OFFSET = 0;
    /** Offset of the request id (u32). */
    public static final int REQ_ID_OFFSET = 4;
    /** Offset of the transaction id (u32). */
    public static final int TX_ID_OFFSET = 8;
    /** Offset of the payload length (u32). */
    public static final int LEN_OFFSET = 12;
    /** Bytes of the header. */
    public static final int HEADER_LENGTH = 16;
    /** Largest payload Xen accepts ({@code XENSTORE_PAYLOAD_MAX}). */
    public static final int PAYLOAD_MAX = 4096;
    /** Longest absolute path ({@code XENSTORE_ABS_PATH_MAX}). */
    public static final int ABS_PATH_MAX = 3072;
    /** Longest relative path ({@code XENSTORE_REL_PATH_MAX}). */
    public static final int REL_PATH_MAX = 2048;

    private XsHeaderDescriptor()
    {
    }
}
