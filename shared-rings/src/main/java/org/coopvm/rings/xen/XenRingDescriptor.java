package org.coopvm.rings.xen;

import org.agrona.concurrent.AtomicBuffer;

/**
 * Layout of a Xen {@code io/ring.h} shared ring ({@code struct *_sring}) on x86-64, for any
 * slot size. Integers are little-endian u32; indices are free-running and never masked when
 * stored; the slot of index {@code i} is {@code i & (entries - 1)}.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 req_prod (u32, written by front)              |  0
 *  +---------------------------------------------------------------+
 *  |                 req_event (u32, written by back)              |  4
 *  +---------------------------------------------------------------+
 *  |                 rsp_prod (u32, written by back)               |  8
 *  +---------------------------------------------------------------+
 *  |                 rsp_event (u32, written by front)             | 12
 *  +---------------------------------------------------------------+
 *  |                 pvt (4 bytes, protocol private, zeroed)       | 16
 *  +---------------------------------------------------------------+
 *  |                 __pad (44 bytes, zeroed)                      | 20..63
 *  +---------------------------------------------------------------+
 *  |                 ring[0]: union of request and response        | 64
 *  +---------------------------------------------------------------+
 *  |                 ...  ring[entries - 1]                        |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * The ring may span several contiguous pages (multi-page rings): {@code ringBytes} is the
 * whole shared area, header included, and the entry count is the largest power of two whose
 * slots fit after the header, exactly as {@code __CONST_RING_SIZE}. Only the frontend
 * initialises the header ({@code SHARED_RING_INIT}: both producer indices 0, both event
 * indices 1, private bytes and padding zero).
 *
 * <p>Stateless; any thread may call it.
 */
public final class XenRingDescriptor
{
    /** Offset of {@code req_prod} (u32): requests published by the front. */
    public static final int REQ_PROD_OFFSET = 0;
    /** Offset of {@code req_event} (u32): the back wants a notification when req_prod passes it. */
    public static final int REQ_EVENT_OFFSET = 4;
    /** Offset of {@code rsp_prod} (u32): responses published by the back. */
    public static final int RSP_PROD_OFFSET = 8;
    /** Offset of {@code rsp_event} (u32): the front wants a notification when rsp_prod passes it. */
    public static final int RSP_EVENT_OFFSET = 12;
    /** Offset of the protocol-private union {@code pvt} (netif smartpoll, tapif msg). */
    public static final int PRIVATE_OFFSET = 16;
    /** Bytes of the protocol-private union. */
    public static final int PRIVATE_LENGTH = 4;
    /** Offset of the padding up to the first entry. */
    public static final int PAD_OFFSET = 20;
    /** Bytes of padding. */
    public static final int PAD_LENGTH = 44;
    /** Bytes of the header before the first entry. */
    public static final int HEADER_LENGTH = 64;
    /** Offset of {@code ring[0]}, the first slot. */
    public static final int ENTRIES_OFFSET = HEADER_LENGTH;
    /** Alignment required of the ring's address: 8, as the C struct (slots may hold u64). */
    public static final int RING_ALIGNMENT = 8;

    private XenRingDescriptor()
    {
    }

    /**
     * Entries of a ring, as {@code __CONST_RING_SIZE}: {@code (ringBytes - 64) / slotBytes}
     * rounded down to a power of two. One page: blkif (112-byte slots) 32, netif tx (12) 256,
     * netif rx (8) 256.
     *
     * @param ringBytes bytes of the shared ring, header included (e.g. one or more pages).
     * @param slotBytes bytes of one slot: the larger of request and response.
     * @return the number of entries, a power of two, at least 1.
     * @throws IllegalArgumentException when the slot size is not positive or no slot fits.
     */
    public static int entries(final int ringBytes, final int slotBytes)
    {
        if (slotBytes <= 0)
        {
            throw new IllegalArgumentException("slot size " + slotBytes + " bytes must be positive");
        }
        if (ringBytes < HEADER_LENGTH + slotBytes)
        {
            throw new IllegalArgumentException("a ring of " + ringBytes + " bytes has no room for one " + slotBytes +
                "-byte slot after the " + HEADER_LENGTH + "-byte header");
        }
        return Integer.highestOneBit((ringBytes - HEADER_LENGTH) / slotBytes);
    }

    /**
     * @param entries   entries of the ring (a power of two).
     * @param slotBytes bytes of one slot.
     * @return bytes actually used by the header and the slots.
     */
    public static int usedBytes(final int entries, final int slotBytes)
    {
        return HEADER_LENGTH + entries * slotBytes;
    }

    /**
     * @param index     a free-running ring index.
     * @param entries   entries of the ring (a power of two).
     * @param slotBytes bytes of one slot.
     * @return offset of that index's slot from the start of the ring.
     */
    public static int slotOffset(final int index, final int entries, final int slotBytes)
    {
        return ENTRIES_OFFSET + (index & (entries - 1)) * slotBytes;
    }

    /**
     * Check that a ring of the given geometry fits in the buffer at the given offset.
     *
     * @param buffer    memory holding the ring.
     * @param offset    where the ring starts in the buffer.
     * @param ringBytes bytes of the shared ring, header included.
     * @param slotBytes bytes of one slot.
     * @return the number of entries.
     * @throws IllegalArgumentException naming what does not fit or is misaligned.
     */
    public static int validate(final AtomicBuffer buffer, final int offset, final int ringBytes, final int slotBytes)
    {
        final int entries = entries(ringBytes, slotBytes);
        if (offset < 0 || (long)offset + ringBytes > buffer.capacity())
        {
            throw new IllegalArgumentException("a ring of " + ringBytes + " bytes at offset " + offset +
                " does not fit in a buffer of " + buffer.capacity() + " bytes");
        }
        if (((buffer.addressOffset() + offset) & (RING_ALIGNMENT - 1)) != 0)
        {
            throw new IllegalArgumentException("a ring must start on an " + RING_ALIGNMENT +
                "-byte boundary; offset " + offset + " gives address " + (buffer.addressOffset() + offset));
        }
        return entries;
    }
}
