package org.coopvm.rings.hypercall;

/**
 * Layout of a hypercall request message on a domain's hypercall channel (guest vCPUs to the
 * host). The message type id is the Xen hypercall number ({@link HypercallOp}). Offsets are from
 * the start of the message.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 call id, echoed in the response (u64)         |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 vcpu id of the caller (u32)                   |  8
 *  +---------------------------------------------------------------+
 *  |                 sub-command (u32): XENVER_*, EVTCHNOP_*, ...  | 12
 *  +---------------------------------------------------------------+
 *  |                 arguments, per command (*OpDescriptor)        | 16
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * The response goes to the caller's {@code vcpu<K>.rsp} channel ({@link HypercallResponseDescriptor}).
 */
public final class HypercallDescriptor
{
    /** Offset of the guest-chosen call id (u64). */
    public static final int CALL_ID_OFFSET = 0;
    /** Offset of the calling vCPU (u32). */
    public static final int VCPU_OFFSET = 8;
    /** Offset of the sub-command (u32). */
    public static final int CMD_OFFSET = 12;
    /** Offset of the arguments. */
    public static final int ARGS_OFFSET = 16;
    /** Bytes of the header before the arguments. */
    public static final int HEADER_LENGTH = ARGS_OFFSET;

    private HypercallDescriptor()
    {
    }
}
