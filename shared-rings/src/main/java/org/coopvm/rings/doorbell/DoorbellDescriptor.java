package org.coopvm.rings.doorbell;

/**
 * Layout of a doorbell: one 64-byte cache line in a shared region, an eventcount that lets a
 * consumer sleep on a futex and a producer wake it only when it announced it sleeps.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 wake sequence, the futex word (u32)           |  0
 *  +---------------------------------------------------------------+
 *  |                 sleepers announced (u32)                      |  4
 *  +---------------------------------------------------------------+
 *  |                 wakes issued, a counter (u64)                 |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 reserved, zero (48 bytes)                     | 16..63
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * All zero is a valid, idle doorbell. The sequence is free running and wraps at 2^32; only
 * equality with a sleeper's key matters. The wakes counter counts futex wake calls, so that
 * notification suppression can be observed from any process.
 */
public final class DoorbellDescriptor
{
    /** Offset of the wake sequence (u32), the futex word; bumped by every wake. */
    public static final int SEQUENCE_OFFSET = 0;
    /** Offset of the count of consumers that announced they are about to sleep (u32). */
    public static final int SLEEPERS_OFFSET = 4;
    /** Offset of the count of wakes issued (u64). */
    public static final int WAKES_OFFSET = 8;
    /** Bytes of a doorbell: one cache line. */
    public static final int DOORBELL_LENGTH = 64;
    /** Required alignment of a doorbell within its region. */
    public static final int ALIGNMENT = 64;

    private DoorbellDescriptor()
    {
    }
}
