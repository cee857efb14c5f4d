package org.coopvm.rings.netif;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static org.coopvm.rings.netif.NetifTxRequestDescriptor.FLAGS_OFFSET;
import static org.coopvm.rings.netif.NetifTxRequestDescriptor.GREF_OFFSET;
import static org.coopvm.rings.netif.NetifTxRequestDescriptor.ID_OFFSET;
import static org.coopvm.rings.netif.NetifTxRequestDescriptor.OFFSET_OFFSET;
import static org.coopvm.rings.netif.NetifTxRequestDescriptor.SIZE_OFFSET;

/**
 * A flyweight over one transmit request ({@link NetifTxRequestDescriptor}): the frontend writes it
 * in the slot it claimed; the backend reads it from its private copy of the slot.
 *
 * <p>Not thread safe: one thread per flyweight.
 */
public final class NetifTxRequest
{
    private DirectBuffer buffer;
    private int offset;

    /**
     * @param buffer where the request is.
     * @param offset where it starts.
     * @return this.
     */
    public NetifTxRequest wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /** @return the grant reference (u32 as int). */
    public int gref()
    {
        return buffer.getInt(offset + GREF_OFFSET);
    }

    /** @return the frame's offset in the page, unsigned. */
    public int pageOffset()
    {
        return buffer.getShort(offset + OFFSET_OFFSET) & 0xFFFF;
    }

    /** @return the {@code NETTXF_*} flags, unsigned. */
    public int flags()
    {
        return buffer.getShort(offset + FLAGS_OFFSET) & 0xFFFF;
    }

    /** @return the request's id, unsigned. */
    public int id()
    {
        return buffer.getShort(offset + ID_OFFSET) & 0xFFFF;
    }

    /** @return the frame's size, unsigned. */
    public int size()
    {
        return buffer.getShort(offset + SIZE_OFFSET) & 0xFFFF;
    }

    /**
     * Write the whole request into a writable buffer.
     *
     * @param gref       the grant reference.
     * @param pageOffset the frame's offset in the page.
     * @param flags      {@code NETTXF_*} bits.
     * @param id         the request's id.
     * @param size       the frame's size.
     * @return this.
     */
    public NetifTxRequest put(final int gref, final int pageOffset, final int flags, final int id, final int size)
    {
        final MutableDirectBuffer out = (MutableDirectBuffer)buffer;
        out.putInt(offset + GREF_OFFSET, gref);
        out.putShort(offset + OFFSET_OFFSET, (short)pageOffset);
        out.putShort(offset + FLAGS_OFFSET, (short)flags);
        out.putShort(offset + ID_OFFSET, (short)id);
        out.putShort(offset + SIZE_OFFSET, (short)size);
        return this;
    }
}
