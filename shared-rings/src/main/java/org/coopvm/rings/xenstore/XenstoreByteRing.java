package org.coopvm.rings.xenstore;

import org.agrona.concurrent.AtomicBuffer;

import static org.coopvm.rings.xenstore.XenstoreInterfaceDescriptor.RING_SIZE;

/**
 * One direction of a xenstore ring page: a 1024-byte stream with a producer and a consumer
 * index. The producer copies bytes in and publishes {@code prod} with a release store; the
 * consumer reads {@code prod} with an acquire load, copies the bytes out into private memory and
 * publishes {@code cons} with a release store. An index pair more than {@code RING_SIZE} apart
 * (a hostile peer) is reported as -1, never used.
 *
 * <p>Not thread safe: one producer thread and one consumer thread, each on its own side.
 */
public final class XenstoreByteRing
{
    /** Returned when the peer's index is outside the ring. */
    public static final int BAD_INDEX = -1;

    private final AtomicBuffer buffer;
    private final int dataOffset;
    private final int consOffset;
    private final int prodOffset;

    /**
     * @param buffer     the mapped interface page.
     * @param dataOffset offset of the ring's 1024 bytes.
     * @param consOffset offset of the consumer index.
     * @param prodOffset offset of the producer index.
     */
    public XenstoreByteRing(final AtomicBuffer buffer, final int dataOffset, final int consOffset, final int prodOffset)
    {
        buffer.boundsCheck(dataOffset, RING_SIZE);
        this.buffer = buffer;
        this.dataOffset = dataOffset;
        this.consOffset = consOffset;
        this.prodOffset = prodOffset;
    }

    /** @return the request ring of an interface page (guest produces). */
    public static XenstoreByteRing requests(final AtomicBuffer page)
    {
        return new XenstoreByteRing(page, XenstoreInterfaceDescriptor.REQ_OFFSET,
            XenstoreInterfaceDescriptor.REQ_CONS_OFFSET, XenstoreInterfaceDescriptor.REQ_PROD_OFFSET);
    }

    /** @return the response ring of an interface page (xenstored produces). */
    public static XenstoreByteRing responses(final AtomicBuffer page)
    {
        return new XenstoreByteRing(page, XenstoreInterfaceDescriptor.RSP_OFFSET,
            XenstoreInterfaceDescriptor.RSP_CONS_OFFSET, XenstoreInterfaceDescriptor.RSP_PROD_OFFSET);
    }

    /**
     * Producer side: copies up to {@code length} bytes in.
     *
     * @return bytes written (0 when full), or {@link #BAD_INDEX}.
     */
    public int write(final byte[] source, final int offset, final int length)
    {
        final int cons = buffer.getIntAcquire(consOffset);
        final int prod = buffer.getInt(prodOffset);
        final int used = prod - cons;
        if (used < 0 || used > RING_SIZE)
        {
            return BAD_INDEX;
        }
        final int count = Math.min(length, RING_SIZE - used);
        for (int i = 0; i < count; i++)
        {
            buffer.putByte(dataOffset + ((prod + i) & (RING_SIZE - 1)), source[offset + i]);
        }
        buffer.putIntRelease(prodOffset, prod + count);
        return count;
    }

    /**
     * Consumer side: copies up to {@code length} available bytes out.
     *
     * @return bytes read (0 when empty), or {@link #BAD_INDEX}.
     */
    public int read(final byte[] target, final int offset, final int length)
    {
        final int prod = buffer.getIntAcquire(prodOffset);
        final int cons = buffer.getInt(consOffset);
        final int available = prod - cons;
        if (available < 0 || available > RING_SIZE)
        {
            return BAD_INDEX;
        }
        final int count = Math.min(length, available);
        for (int i = 0; i < count; i++)
        {
            target[offset + i] = buffer.getByte(dataOffset + ((cons + i) & (RING_SIZE - 1)));
        }
        buffer.putIntRelease(consOffset, cons + count);
        return count;
    }

    /** @return bytes the consumer has not taken yet, as the consumer sees them. */
    public int available()
    {
        return buffer.getIntAcquire(prodOffset) - buffer.getInt(consOffset);
    }
}
