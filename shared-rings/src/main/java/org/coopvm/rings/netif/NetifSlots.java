package org.coopvm.rings.netif;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The two small netif messages that need no flyweight: the tx response (id, status) and the rx
 * request (id, gref), read and written at a slot's offset.
 *
 * <p>Stateless; any thread may call it.
 */
public final class NetifSlots
{
    private NetifSlots()
    {
    }

    /**
     * Write a tx response.
     *
     * @param buffer the ring (or a private copy).
     * @param offset the slot's offset.
     * @param id     the request's id.
     * @param status a {@code NetifTxResponseDescriptor.STATUS_*} value.
     */
    public static void putTxResponse(final MutableDirectBuffer buffer, final int offset, final int id, final short status)
    {
        buffer.putShort(offset + NetifTxResponseDescriptor.ID_OFFSET, (short)id);
        buffer.putShort(offset + NetifTxResponseDescriptor.STATUS_OFFSET, status);
    }

    /**
     * @param buffer a copy of a tx response slot.
     * @param offset its offset.
     * @return the id it answers, unsigned.
     */
    public static int txResponseId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + NetifTxResponseDescriptor.ID_OFFSET) & 0xFFFF;
    }

    /**
     * @param buffer a copy of a tx response slot.
     * @param offset its offset.
     * @return its status.
     */
    public static short txResponseStatus(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + NetifTxResponseDescriptor.STATUS_OFFSET);
    }

    /**
     * Write an rx request (padding zeroed).
     *
     * @param buffer the ring (or a private copy).
     * @param offset the slot's offset.
     * @param id     the request's id.
     * @param gref   the posted page's grant reference.
     */
    public static void putRxRequest(final MutableDirectBuffer buffer, final int offset, final int id, final int gref)
    {
        buffer.putShort(offset + NetifRxRequestDescriptor.ID_OFFSET, (short)id);
        buffer.putShort(offset + NetifRxRequestDescriptor.ID_OFFSET + 2, (short)0);
        buffer.putInt(offset + NetifRxRequestDescriptor.GREF_OFFSET, gref);
    }

    /**
     * @param buffer a copy of an rx request slot.
     * @param offset its offset.
     * @return its id, unsigned.
     */
    public static int rxRequestId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + NetifRxRequestDescriptor.ID_OFFSET) & 0xFFFF;
    }

    /**
     * @param buffer a copy of an rx request slot.
     * @param offset its offset.
     * @return its grant reference.
     */
    public static int rxRequestGref(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + NetifRxRequestDescriptor.GREF_OFFSET);
    }
}
