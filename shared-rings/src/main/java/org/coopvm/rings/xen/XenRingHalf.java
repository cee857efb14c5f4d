package org.coopvm.rings.xen;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

import java.lang.invoke.VarHandle;

/**
 * What the front and back halves of a Xen ring share: the geometry, slot addressing, the
 * push-and-check-notify and final-check protocols, and fault bookkeeping. Each half owns one
 * producer index (and the peer's event index for it) and consumes the other.
 *
 * <p>Not thread safe: one half is used by one thread at a time.
 */
abstract sealed class XenRingHalf permits FrontRing, BackRing
{
    /** Returned by the claim methods when no slot may be written. */
    public static final int NO_SLOT = -1;

    private static final RingFault[] FAULTS = RingFault.values();

    final AtomicBuffer buffer;
    final int offset;
    final int entries;
    final int slotBytes;
    private final long[] faultCounts = new long[FAULTS.length];
    private RingFault fault = RingFault.NONE;
    private int faultPeerIndex;
    private int faultOwnIndex;
    private int lastBadEventIndex;

    XenRingHalf(final AtomicBuffer buffer, final int offset, final int ringBytes, final int slotBytes)
    {
        this.entries = XenRingDescriptor.validate(buffer, offset, ringBytes, slotBytes);
        this.buffer = buffer;
        this.offset = offset;
        this.slotBytes = slotBytes;
    }

    /** @return entries in the ring ({@code RING_SIZE}), a power of two. */
    public final int entries()
    {
        return entries;
    }

    /** @return bytes of one slot. */
    public final int slotBytes()
    {
        return slotBytes;
    }

    /** @return the buffer holding the ring; slot offsets returned by claims are in it. */
    public final AtomicBuffer buffer()
    {
        return buffer;
    }

    /** @return the permanent fault seen, or {@link RingFault#NONE}. */
    public final RingFault fault()
    {
        return fault;
    }

    /**
     * @param kind a fault kind.
     * @return how many times it was detected on this half.
     */
    public final long faultCount(final RingFault kind)
    {
        return faultCounts[kind.ordinal()];
    }

    /** @return the peer's producer index that caused the permanent fault, 0 if none. */
    public final int faultPeerIndex()
    {
        return faultPeerIndex;
    }

    /** @return this half's consumer index when the permanent fault was found, 0 if none. */
    public final int faultOwnIndex()
    {
        return faultOwnIndex;
    }

    /** @return the last out-of-range event index the peer wrote, 0 if none. */
    public final int lastBadEventIndex()
    {
        return lastBadEventIndex;
    }

    /** @return a one-line description of the faults seen, for logs (allocates). */
    public final String faultDescription()
    {
        return fault == RingFault.NONE ? "no fault, " + faultCount(RingFault.EVENT_INDEX_OUT_OF_RANGE) +
            " event index faults" : fault + ": peer producer index " + Integer.toUnsignedString(faultPeerIndex) +
            " with consumer index " + Integer.toUnsignedString(faultOwnIndex);
    }

    final boolean faulted()
    {
        return fault != RingFault.NONE;
    }

    final int slotOffset(final int index)
    {
        return offset + XenRingDescriptor.slotOffset(index, entries, slotBytes);
    }

    final void copyIn(final int index, final DirectBuffer source, final int sourceOffset, final int length)
    {
        buffer.putBytes(slotOffset(index), source, sourceOffset, Math.min(length, slotBytes));
    }

    final void copyOut(final int index, final MutableDirectBuffer destination, final int destinationOffset)
    {
        destination.putBytes(destinationOffset, buffer, slotOffset(index), slotBytes);
    }

    /**
     * {@code RING_PUSH_*}: publish {@code newProd} with a release store (slots written before
     * are visible first); no fence, no look at the peer's event index.
     */
    final void publish(final int prodOffset, final int newProd)
    {
        buffer.putIntRelease(offset + prodOffset, newProd);
    }

    /**
     * {@code RING_PUSH_*_AND_CHECK_NOTIFY}: publish {@code newProd} with a release store (slots
     * written before are visible first), full fence, then read the peer's event index once.
     */
    final boolean publishAndCheckNotify(final int prodOffset, final int eventOffset, final int oldProd, final int newProd)
    {
        publish(prodOffset, newProd);
        VarHandle.fullFence();
        final int event = buffer.getIntVolatile(offset + eventOffset);
        if (event - oldProd > entries)
        {
            lastBadEventIndex = event;
            faultCounts[RingFault.EVENT_INDEX_OUT_OF_RANGE.ordinal()]++;
            return newProd != oldProd;
        }
        return Integer.compareUnsigned(newProd - event, newProd - oldProd) < 0;
    }

    /** Ask to be notified on the next production past {@code cons} ({@code event = cons + 1}), full fence. */
    final void requestEvent(final int eventOffset, final int cons)
    {
        buffer.putIntRelease(offset + eventOffset, cons + 1);
        VarHandle.fullFence();
    }

    /** @return the peer's producer index, read once with acquire semantics. */
    final int readPeerIndex(final int prodOffset)
    {
        return buffer.getIntAcquire(offset + prodOffset);
    }

    /**
     * @return {@code peerProd - cons} when it is within {@code limit} (unsigned), else record a
     * permanent fault and return 0.
     */
    final int trustedCount(final int peerProd, final int cons, final int limit)
    {
        final int claimed = peerProd - cons;
        if (Integer.compareUnsigned(claimed, limit) > 0)
        {
            fault = RingFault.PRODUCER_INDEX_OVERRUN;
            faultPeerIndex = peerProd;
            faultOwnIndex = cons;
            faultCounts[RingFault.PRODUCER_INDEX_OVERRUN.ordinal()]++;
            return 0;
        }
        return claimed;
    }
}
