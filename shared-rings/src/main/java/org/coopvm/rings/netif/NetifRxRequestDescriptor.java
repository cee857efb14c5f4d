package org.coopvm.rings.netif;

/**
 * Layout of Xen's receive request ({@code struct netif_rx_request} in {@code io/netif.h}) on
 * x86-64: the frontend posts an empty granted page {@code gref} for the backend to copy one frame
 * into. An rx slot is the union of request and response, both 8 bytes.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |      id (u16), echoed         |      padding (u16)            |  0
 *  +-------------------------------+-------------------------------+
 *  |                 gref (u32): the buffer's granted page         |  4
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Stateless; any thread may call it.
 */
public final class NetifRxRequestDescriptor
{
    /** Offset of {@code id} (u16), echoed in the response. */
    public static final int ID_OFFSET = 0;
    /** Offset of {@code gref} (u32). */
    public static final int GREF_OFFSET = 4;
    /** {@code sizeof(struct netif_rx_request)}. */
    public static final int REQUEST_LENGTH = 8;

    private NetifRxRequestDescriptor()
    {
    }
}
