package org.coopvm.rings.channel;

import org.agrona.BitUtil;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.coopvm.rings.doorbell.DoorbellDescriptor;
import org.coopvm.rings.doorbell.PeerLivenessDescriptor;
import org.coopvm.rings.mem.Pages;
import org.coopvm.rings.region.RegionType;

/**
 * Layout of a {@link RegionType#MESSAGE_CHANNEL} region's payload. Offsets are from the start
 * of the payload (the region's second page).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |        doorbell: the consumer sleeps on it (64 bytes)         |    0
 *  +---------------------------------------------------------------+
 *  |        producer liveness slot (32 bytes)                      |   64
 *  +---------------------------------------------------------------+
 *  |        consumer liveness slot (32 bytes)                      |   96
 *  +---------------------------------------------------------------+
 *  |        ring capacity in bytes, a power of two (u32)           |  128
 *  +---------------------------------------------------------------+
 *  |        channel kind (u32): 1 one-to-one, 2 many-to-one        |  132
 *  +---------------------------------------------------------------+
 *  |        rest of the control page, zero                         |  136..4095
 *  +---------------------------------------------------------------+
 *  |        Agrona ring buffer: capacity bytes of records,         | 4096
 *  |        then RingBufferDescriptor.TRAILER_LENGTH of trailer    |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * The creator writes capacity and kind once, before handing the path to the peer; the ring
 * buffer's own layout (record headers, trailer) is Agrona's.
 */
public final class ChannelDescriptor
{
    /** Offset of the doorbell producers ring after writing. */
    public static final int DOORBELL_OFFSET = 0;
    /** Offset of the producer side's liveness slot. */
    public static final int PRODUCER_LIVENESS_OFFSET = DOORBELL_OFFSET + DoorbellDescriptor.DOORBELL_LENGTH;
    /** Offset of the consumer side's liveness slot. */
    public static final int CONSUMER_LIVENESS_OFFSET = PRODUCER_LIVENESS_OFFSET + PeerLivenessDescriptor.SLOT_LENGTH;
    /** Offset of the ring's capacity in bytes (u32). */
    public static final int CAPACITY_OFFSET = CONSUMER_LIVENESS_OFFSET + PeerLivenessDescriptor.SLOT_LENGTH;
    /** Offset of the {@link ChannelKind} code (u32). */
    public static final int KIND_OFFSET = CAPACITY_OFFSET + 4;
    /** Offset of the Agrona ring buffer: the payload's second page. */
    public static final int RING_OFFSET = Pages.PAGE_SIZE;
    /** Smallest ring capacity accepted, in bytes. */
    public static final int MIN_CAPACITY = 1024;
    /** Largest ring capacity accepted, in bytes. */
    public static final int MAX_CAPACITY = 1 << 30;

    private ChannelDescriptor()
    {
    }

    /**
     * @param capacity ring capacity in bytes.
     * @return whether it is a power of two within {@link #MIN_CAPACITY}..{@link #MAX_CAPACITY}.
     */
    public static boolean isValidCapacity(final int capacity)
    {
        return capacity >= MIN_CAPACITY && capacity <= MAX_CAPACITY && BitUtil.isPowerOfTwo(capacity);
    }

    /**
     * @param capacity ring capacity in bytes.
     * @return the payload bytes a channel of that capacity needs.
     */
    public static long payloadLength(final int capacity)
    {
        return (long)RING_OFFSET + capacity + RingBufferDescriptor.TRAILER_LENGTH;
    }
}
