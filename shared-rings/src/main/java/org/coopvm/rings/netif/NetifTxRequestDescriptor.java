package org.coopvm.rings.netif;

/**
 * Layout of Xen's transmit request ({@code struct netif_tx_request} in {@code io/netif.h}) on
 * x86-64: the frontend asks the backend to send the {@code size} bytes at {@code offset} of the
 * granted page {@code gref}. A tx slot is the union of request (12 bytes) and response (4).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 gref (u32): the frame's granted page          |  0
 *  +-------------------------------+-------------------------------+
 *  |      offset (u16) in page     |      flags (u16) NETTXF_*     |  4
 *  +-------------------------------+-------------------------------+
 *  |      id (u16), echoed         |      size (u16): frame bytes  |  8
 *  +-------------------------------+-------------------------------+
 * </pre>
 *
 * <p>Stateless; any thread may call it.
 */
public final class NetifTxRequestDescriptor
{
    /** Offset of {@code gref} (u32). */
    public static final int GREF_OFFSET = 0;
    /** Offset of {@code offset} (u16): where the frame starts in the page. */
    public static final int OFFSET_OFFSET = 4;
    /** Offset of {@code flags} (u16): {@code FLAG_*} bits. */
    public static final int FLAGS_OFFSET = 6;
    /** Offset of {@code id} (u16), echoed in the response. */
    public static final int ID_OFFSET = 8;
    /** Offset of {@code size} (u16): the frame's length (of the whole packet in a first fragment). */
    public static final int SIZE_OFFSET = 10;
    /** {@code sizeof(struct netif_tx_request)}. */
    public static final int REQUEST_LENGTH = 12;

    /** {@code NETTXF_csum_blank}: the protocol checksum field is blank. */
    public static final int FLAG_CSUM_BLANK = 1;
    /** {@code NETTXF_data_validated}: the packet's data has been validated. */
    public static final int FLAG_DATA_VALIDATED = 1 << 1;
    /** {@code NETTXF_more_data}: the packet continues in the next request. */
    public static final int FLAG_MORE_DATA = 1 << 2;
    /** {@code NETTXF_extra_info}: an extra-info slot follows. */
    public static final int FLAG_EXTRA_INFO = 1 << 3;

    private NetifTxRequestDescriptor()
    {
    }
}
