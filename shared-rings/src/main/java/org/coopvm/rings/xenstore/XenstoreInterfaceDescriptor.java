package org.coopvm.rings.xenstore;

import org.coopvm.rings.region.RegionType;

/**
 * Layout of Xen's {@code struct xenstore_domain_interface}, the page a guest and xenstored share
 * (payload of a {@link RegionType#XENSTORE} region). Two byte-stream rings of 1024 bytes with
 * free-running u32 indices masked by {@code RING_SIZE - 1}.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |  req[1024]: guest -> xenstored byte stream                    |    0
 *  +---------------------------------------------------------------+
 *  |  rsp[1024]: xenstored -> guest (replies and watch events)     | 1024
 *  +---------------------------------------------------------------+
 *  |  req_cons (u32, xenstored)  |  req_prod (u32, guest)          | 2048
 *  +---------------------------------------------------------------+
 *  |  rsp_cons (u32, guest)      |  rsp_prod (u32, xenstored)      | 2056
 *  +---------------------------------------------------------------+
 *  |  server_features (u32)      |  connection (u32)               | 2064
 *  +---------------------------------------------------------------+
 *  |  error (u32)                |  unused to 4096                 | 2072
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Thread safety: constants only.
 */
public final class XenstoreInterfaceDescriptor
{
    /** Bytes of each ring ({@code XENSTORE_RING_SIZE}). */
    public static final int RING_SIZE = 1024;
    /** Offset of the request ring. */
    public static final int REQ_OFFSET = 0;
    /** Offset of the response ring. */
    public static final int RSP_OFFSET = 1024;
    /** Offset of the request consumer index (written by xenstored). */
    public static final int REQ_CONS_OFFSET = 2048;
    /** Offset of the request producer index (written by the guest). */
    public static final int REQ_PROD_OFFSET = 2052;
    /** Offset of the response consumer index (written by the guest). */
    public static final int RSP_CONS_OFFSET = 2056;
    /** Offset of the response producer index (written by xenstored). */
    public static final int RSP_PROD_OFFSET = 2060;
    /** Offset of the server feature bits. */
    public static final int SERVER_FEATURES_OFFSET = 2064;
    /** Offset of the connection state (0 connected, 1 reconnecting). */
    public static final int CONNECTION_OFFSET = 2068;
    /** Offset of the error code (0 none, 1 comm, 2 ring index, 3 protocol). */
    public static final int ERROR_OFFSET = 2072;
    /** Payload bytes of the region: one page. */
    public static final int PAYLOAD_LENGTH = 4096;

    /** Feature bit: the server supports reconnection. */
    public static final int FEATURE_RECONNECTION = 1;
    /** Feature bit: the server reports errors in {@code error}. */
    public static final int FEATURE_ERROR = 2;
    /** error: none. */
    public static final int ERROR_NONE = 0;
    /** error: an index moved outside the ring. */
    public static final int ERROR_RINGIDX = 2;
    /** error: protocol violation (payload too long). */
    public static final int ERROR_PROTO = 3;

    private XenstoreInterfaceDescriptor()
    {
    }
}
