package org.coopvm.rings.hypercall;

/**
 * Layout of a hypercall response on a vCPU's response channel ({@code vcpu<K>.rsp}); the message
 * type id is the op of the request. Offsets are from the start of the message.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 call id of the request (u64)                  |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 result (i64): >= 0 success, < 0 minus errno   |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 output, per command (*OpDescriptor)           | 16
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class HypercallResponseDescriptor
{
    /** Offset of the call id (u64). */
    public static final int CALL_ID_OFFSET = 0;
    /** Offset of the result (i64). */
    public static final int RESULT_OFFSET = 8;
    /** Offset of the command's output. */
    public static final int OUTPUT_OFFSET = 16;
    /** Bytes of the header before the output. */
    public static final int HEADER_LENGTH = OUTPUT_OFFSET;

    private HypercallResponseDescriptor()
    {
    }
}
