package org.coopvm.rings.blkif;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static org.coopvm.rings.blkif.BlkifResponseDescriptor.*;

/**
 * A flyweight over one block response ({@link BlkifResponseDescriptor}): the backend writes it in
 * the slot it claimed; the frontend reads it from its private copy of the slot.
 *
 * <p>Not thread safe: one thread per flyweight.
 */
public final class BlkifResponse
{
    private DirectBuffer buffer;
    private MutableDirectBuffer mutable;
    private int offset;

    /**
     * @param buffer where the response is.
     * @param offset where it starts.
     * @return this.
     */
    public BlkifResponse wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.mutable = buffer instanceof MutableDirectBuffer writable ? writable : null;
        this.offset = offset;
        return this;
    }

    /** @return the request's id. */
    public long id()
    {
        return buffer.getLong(offset + ID_OFFSET);
    }

    /** @return the request's operation, unsigned. */
    public int operation()
    {
        return buffer.getByte(offset + OPERATION_OFFSET) & 0xFF;
    }

    /** @return the status ({@code STATUS_*}). */
    public short status()
    {
        return buffer.getShort(offset + STATUS_OFFSET);
    }

    /**
     * Write the whole response (padding zeroed).
     *
     * @param id        the request's id.
     * @param operation the request's operation.
     * @param status    a {@code STATUS_*} value.
     * @return this.
     */
    public BlkifResponse put(final long id, final int operation, final short status)
    {
        mutable.putLong(offset + ID_OFFSET, id);
        mutable.putByte(offset + OPERATION_OFFSET, (byte)operation);
        mutable.putByte(offset + OPERATION_OFFSET + 1, (byte)0);
        mutable.putShort(offset + STATUS_OFFSET, status);
        mutable.putInt(offset + STATUS_OFFSET + 2, 0);
        return this;
    }
}
