package org.coopvm.rings.blkif;

/**
 * Layout of Xen's block response ({@code struct blkif_response} in {@code io/blkif.h}) on
 * x86-64, written by the backend into the slot of the request it answers (a slot is the union of
 * both, 112 bytes).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 id (u64): the request's id                    |  0
 *  |                                                               |
 *  +---------------+---------------+-------------------------------+
 *  |  operation    |   padding     |        status (i16)           |  8
 *  +---------------+---------------+-------------------------------+
 *  |                 padding (4 bytes)                             | 12
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Stateless; any thread may call it.
 */
public final class BlkifResponseDescriptor
{
    /** Offset of {@code id} (u64), copied from the request. */
    public static final int ID_OFFSET = 0;
    /** Offset of {@code operation} (u8), copied from the request. */
    public static final int OPERATION_OFFSET = 8;
    /** Offset of {@code status} (i16): one of the {@code STATUS_*} values. */
    public static final int STATUS_OFFSET = 10;
    /** {@code sizeof(struct blkif_response)}. */
    public static final int RESPONSE_LENGTH = 16;

    /** {@code BLKIF_RSP_OKAY}. */
    public static final short STATUS_OKAY = 0;
    /** {@code BLKIF_RSP_ERROR}: the request failed or was refused. */
    public static final short STATUS_ERROR = -1;
    /** {@code BLKIF_RSP_EOPNOTSUPP}: the backend does not do that operation. */
    public static final short STATUS_EOPNOTSUPP = -2;

    private BlkifResponseDescriptor()
    {
    }

    /**
     * @param status a response status.
     * @return {@code okay}, {@code error}, {@code eopnotsupp}, or the number.
     */
    public static String statusName(final int status)
    {
        return switch (status)
        {
            case STATUS_OKAY -> "okay";
            case STATUS_ERROR -> "error";
            case STATUS_EOPNOTSUPP -> "eopnotsupp";
            default -> Integer.toString(status);
        };
    }
}
