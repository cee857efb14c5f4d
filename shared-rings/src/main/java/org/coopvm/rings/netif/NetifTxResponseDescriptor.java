package org.coopvm.rings.netif;

/**
 * Layout of Xen's transmit response ({@code struct netif_tx_response} in {@code io/netif.h}) on
 * x86-64, written by the backend into the slot of the request it answers.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |      id (u16) of the request  |   status (i16) NETIF_RSP_*    |  0
 *  +-------------------------------+-------------------------------+
 * </pre>
 *
 * <p>Stateless; any thread may call it.
 */
public final class NetifTxResponseDescriptor
{
    /** Offset of {@code id} (u16), copied from the request. */
    public static final int ID_OFFSET = 0;
    /** Offset of {@code status} (i16): one of the {@code STATUS_*} values. */
    public static final int STATUS_OFFSET = 2;
    /** {@code sizeof(struct netif_tx_response)}. */
    public static final int RESPONSE_LENGTH = 4;

    /** {@code NETIF_RSP_DROPPED}: the frame was dropped (malformed, or no room). */
    public static final short STATUS_DROPPED = -2;
    /** {@code NETIF_RSP_ERROR}: the request could not be served (bad grant). */
    public static final short STATUS_ERROR = -1;
    /** {@code NETIF_RSP_OKAY}. */
    public static final short STATUS_OKAY = 0;
    /** {@code NETIF_RSP_NULL}: the slot of an extra-info request. */
    public static final short STATUS_NULL = 1;

    private NetifTxResponseDescriptor()
    {
    }
}
