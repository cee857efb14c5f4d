package org.coopvm.rings.netif;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static org.coopvm.rings.netif.NetifRxResponseDescriptor.FLAGS_OFFSET;
import static org.coopvm.rings.netif.NetifRxResponseDescriptor.ID_OFFSET;
import static org.coopvm.rings.netif.NetifRxResponseDescriptor.OFFSET_OFFSET;
import static org.coopvm.rings.netif.NetifRxResponseDescriptor.STATUS_OFFSET;

/**
 * A flyweight over one receive response ({@link NetifRxResponseDescriptor}): the backend writes it
 * in the slot it claimed; the frontend reads it from its private copy of the slot.
 *
 * <p>Not thread safe: one thread per flyweight.
 */
public final class NetifRxResponse
{
    private DirectBuffer buffer;
    private int offset;

    /**
     * @param buffer where the response is.
     * @param offset where it starts.
     * @return this.
     */
    public NetifRxResponse wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /** @return the id of the request it answers, unsigned. */
    public int id()
    {
        return buffer.getShort(offset + ID_OFFSET) & 0xFFFF;
    }

    /** @return where the frame starts in the page, unsigned. */
    public int pageOffset()
    {
        return buffer.getShort(offset + OFFSET_OFFSET) & 0xFFFF;
    }

    /** @return the {@code NETRXF_*} flags, unsigned. */
    public int flags()
    {
        return buffer.getShort(offset + FLAGS_OFFSET) & 0xFFFF;
    }

    /** @return the frame's length when {@code >= 0}, else a {@code NETIF_RSP_*} status. */
    public short status()
    {
        return buffer.getShort(offset + STATUS_OFFSET);
    }

    /**
     * Write the whole response into a writable buffer.
     *
     * @param id         the request's id.
     * @param pageOffset where the frame starts in the page.
     * @param flags      {@code NETRXF_*} bits.
     * @param status     bytes copied, or a negative {@code NETIF_RSP_*} status.
     * @return this.
     */
    public NetifRxResponse put(final int id, final int pageOffset, final int flags, final int status)
    {
        final MutableDirectBuffer out = (MutableDirectBuffer)buffer;
        out.putShort(offset + ID_OFFSET, (short)id);
        out.putShort(offset + OFFSET_OFFSET, (short)pageOffset);
        out.putShort(offset + FLAGS_OFFSET, (short)flags);
        out.putShort(offset + STATUS_OFFSET, (short)status);
        return this;
    }
}
