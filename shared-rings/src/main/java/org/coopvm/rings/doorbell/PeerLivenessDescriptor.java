package org.coopvm.rings.doorbell;

/**
 * Layout of one peer liveness slot: how an endpoint tells its peer that it is attached, alive
 * or closed, so a waiting side can tell "peer gone" from "no data".
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 pid of the attached process (u64)             |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 last heartbeat, epoch ms (u64)                |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 epoch, +1 on every attach (u32)               | 16
 *  +---------------------------------------------------------------+
 *  |                 state (u32): 0 ABSENT, 1 ALIVE, 2 CLOSED      | 20
 *  +---------------------------------------------------------------+
 *  |                 reserved, zero (8 bytes)                      | 24..31
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * All zero is a valid slot: no peer attached yet. An attaching endpoint writes pid, heartbeat
 * and epoch, then stores the state with release semantics; readers load the state first with
 * acquire semantics.
 */
public final class PeerLivenessDescriptor
{
    /** Offset of the attached process's pid (u64). */
    public static final int PID_OFFSET = 0;
    /** Offset of the last heartbeat time in epoch milliseconds (u64). */
    public static final int HEARTBEAT_OFFSET = 8;
    /** Offset of the attach epoch (u32), incremented on every attach. */
    public static final int EPOCH_OFFSET = 16;
    /** Offset of the state (u32), one of the {@code STATE_*} values. */
    public static final int STATE_OFFSET = 20;
    /** Bytes of one slot. */
    public static final int SLOT_LENGTH = 32;

    /** No endpoint has attached yet. */
    public static final int STATE_ABSENT = 0;
    /** An endpoint is attached. */
    public static final int STATE_ALIVE = 1;
    /** The endpoint closed: it will not produce or consume any more. */
    public static final int STATE_CLOSED = 2;

    private PeerLivenessDescriptor()
    {
    }
}
