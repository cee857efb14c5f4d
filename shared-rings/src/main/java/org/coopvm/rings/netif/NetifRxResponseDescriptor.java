package org.coopvm.rings.netif;

/**
 * Layout of Xen's receive response ({@code struct netif_rx_response} in {@code io/netif.h}) on
 * x86-64: the backend copied a frame of {@code status} bytes to {@code offset} of the page the
 * request {@code id} posted; a negative status is a {@code NETIF_RSP_*} error.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |      id (u16) of the request  |      offset (u16) in page     |  0
 *  +-------------------------------+-------------------------------+
 *  |      flags (u16) NETRXF_*     |   status (i16): bytes or err  |  4
 *  +-------------------------------+-------------------------------+
 * </pre>
 *
 * <p>Stateless; any thread may call it.
 */
public final class NetifRxResponseDescriptor
{
    /** Offset of {@code id} (u16), copied from the request. */
    public static final int ID_OFFSET = 0;
    /** Offset of {@code offset} (u16): where the frame starts in the page. */
    public static final int OFFSET_OFFSET = 2;
    /** Offset of {@code flags} (u16): {@code FLAG_*} bits. */
    public static final int FLAGS_OFFSET = 4;
    /** Offset of {@code status} (i16): the frame's length when {@code >= 0}. */
    public static final int STATUS_OFFSET = 6;
    /** {@code sizeof(struct netif_rx_response)}. */
    public static final int RESPONSE_LENGTH = 8;

    /** {@code NETRXF_data_validated}. */
    public static final int FLAG_DATA_VALIDATED = 1;
    /** {@code NETRXF_csum_blank}. */
    public static final int FLAG_CSUM_BLANK = 1 << 1;
    /** {@code NETRXF_more_data}: the packet continues in the next response. */
    public static final int FLAG_MORE_DATA = 1 << 2;
    /** {@code NETRXF_extra_info}: an extra-info slot follows. */
    public static final int FLAG_EXTRA_INFO = 1 << 3;
    /** {@code NETRXF_gso_prefix}. */
    public static final int FLAG_GSO_PREFIX = 1 << 4;

    private NetifRxResponseDescriptor()
    {
    }
}
