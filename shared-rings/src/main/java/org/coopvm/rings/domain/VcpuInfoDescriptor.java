package org.coopvm.rings.domain;

/**
 * Layout of one 128-byte vcpu_info inside the shared info ({@link SharedInfoDescriptor}):
 * event upcall state and the vCPU's runstate. Offsets are from the start of the vcpu_info.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |        upcall_pending, 0/1 (u32)                              |   0
 *  +---------------------------------------------------------------+
 *  |        upcall_mask, 0/1 (u32)                                 |   4
 *  +---------------------------------------------------------------+
 *  |        evtchn_pending_sel (u64): bit w = word w has work      |   8
 *  +---------------------------------------------------------------+
 *  |        runstate sequence (u32), odd during an update          |  16
 *  +---------------------------------------------------------------+
 *  |        runstate (u32)                                         |  20
 *  +---------------------------------------------------------------+
 *  |        state entry time ns (u64)                              |  24
 *  +---------------------------------------------------------------+
 *  |        ns in each runstate, u64[4]                            |  32
 *  +---------------------------------------------------------------+
 *  |        control flags (u32): bit 0 preempt requested           |  64
 *  +---------------------------------------------------------------+
 *  |        reserved, zero (60 bytes)                              |  68..127
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class VcpuInfoDescriptor
{
    /** Offset of upcall_pending (u32, 0 or 1): the host set a selector bit since the guest last looked. */
    public static final int UPCALL_PENDING_OFFSET = 0;
    /** Offset of upcall_mask (u32, 0 or 1): the guest does not want upcalls now. */
    public static final int UPCALL_MASK_OFFSET = 4;
    /** Offset of evtchn_pending_sel (u64): bit w set means word w of the pending bitmap may have work. */
    public static final int PENDING_SEL_OFFSET = 8;
    /** Offset of the runstate sequence (u32): odd while the host updates the runstate. */
    public static final int RUNSTATE_SEQ_OFFSET = 16;
    /** Offset of the runstate (u32), one of the {@code RUNSTATE_*} values. */
    public static final int RUNSTATE_STATE_OFFSET = 20;
    /** Offset of the time the vCPU entered its runstate, ns on the host clock (u64). */
    public static final int RUNSTATE_ENTRY_TIME_OFFSET = 24;
    /** Offset of the ns spent in each runstate, u64[4] indexed by runstate. */
    public static final int RUNSTATE_TIME_OFFSET = 32;
    /** Offset of the control flags (u32), see {@link #CONTROL_PREEMPT_REQUESTED}. */
    public static final int CONTROL_FLAGS_OFFSET = 64;
    /** Bytes of one vcpu_info. */
    public static final int VCPU_INFO_LENGTH = 128;

    /** Runstate: running on a physical CPU slot. */
    public static final int RUNSTATE_RUNNING = 0;
    /** Runstate: runnable but not running. */
    public static final int RUNSTATE_RUNNABLE = 1;
    /** Runstate: blocked waiting for an event. */
    public static final int RUNSTATE_BLOCKED = 2;
    /** Runstate: offline (down, or not yet up). */
    public static final int RUNSTATE_OFFLINE = 3;
    /** Number of runstates. */
    public static final int RUNSTATE_COUNT = 4;
    /** Control flag bit: the scheduler asks the vCPU to yield at its next step boundary. */
    public static final int CONTROL_PREEMPT_REQUESTED = 1;

    private VcpuInfoDescriptor()
    {
    }
}
