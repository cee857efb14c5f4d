package org.coopvm.rings.domain;

/**
 * Layout of one 128-byte vcpu_info inside the shared info ({@link SharedInfoDescriptor}):
 * event upcall state, the vCPU's runstate, and its physical CPU slot words (the cooperative
 * scheduler's handshake, see {@link VcpuSlot}). Offsets are from the start of the vcpu_info.
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
 *  |        control flags (u32, host): bit 0 preempt requested     |  64
 *  +---------------------------------------------------------------+
 *  |        slot grant sequence (u32, host)                        |  68
 *  +---------------------------------------------------------------+
 *  |        slot release sequence (u32, guest)                     |  72
 *  +---------------------------------------------------------------+
 *  |        slot request (u32, guest): idle 0, runnable 1, yield 2 |  76
 *  +---------------------------------------------------------------+
 *  |        native thread id of the vCPU (u32, guest), 0 = none    |  80
 *  +---------------------------------------------------------------+
 *  |        slot number of the latest grant (u32, host)            |  84
 *  +---------------------------------------------------------------+
 *  |        reserved, zero (40 bytes)                              |  88..127
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * The vCPU holds a slot while the grant and release sequences differ. Only the host writes the
 * control flags, the grant sequence and the slot number; only the guest writes the release
 * sequence, the request and the thread id.
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
    /** Offset of the control flags (u32, host-written), see {@link #CONTROL_PREEMPT_REQUESTED}. */
    public static final int CONTROL_FLAGS_OFFSET = 64;
    /** Offset of the slot grant sequence (u32, host-written): + 1 per grant. */
    public static final int SLOT_GRANT_SEQ_OFFSET = 68;
    /** Offset of the slot release sequence (u32, guest-written): set to the grant sequence to give the slot back. */
    public static final int SLOT_RELEASE_SEQ_OFFSET = 72;
    /** Offset of the slot request (u32, guest-written), one of the {@code SLOT_REQUEST_*} values. */
    public static final int SLOT_REQUEST_OFFSET = 76;
    /** Offset of the native (Linux) thread id of the vCPU's thread (u32, guest-written), 0 = not published. */
    public static final int NATIVE_TID_OFFSET = 80;
    /** Offset of the number of the slot the latest grant gave (u32, host-written). */
    public static final int SLOT_NUMBER_OFFSET = 84;
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
    /** Slot request: nothing to run; a slot held is given back for good. */
    public static final int SLOT_REQUEST_IDLE = 0;
    /** Slot request: work to run; wants a slot (or keeps wanting one after a preemption). */
    public static final int SLOT_REQUEST_RUNNABLE = 1;
    /** Slot request: gives the slot back now but stays runnable (SCHEDOP_yield). */
    public static final int SLOT_REQUEST_YIELD = 2;

    private VcpuInfoDescriptor()
    {
    }
}
