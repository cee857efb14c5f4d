package org.coopvm.rings.hypercall;

import org.agrona.MutableDirectBuffer;

import static org.coopvm.rings.hypercall.HypercallResponseDescriptor.*;

/**
 * Flyweight over a hypercall response ({@link HypercallResponseDescriptor}): the host encodes,
 * the guest decodes. Output accessors take offsets relative to
 * {@link HypercallResponseDescriptor#OUTPUT_OFFSET} and check bounds (throwing
 * {@code IndexOutOfBoundsException}); a guest checks {@link #hasOutput(int)} first.
 *
 * <p>Thread safety: one thread per instance.
 */
public final class HypercallResponse
{
    private MutableDirectBuffer buffer;
    private int offset;
    private int length;

    /**
     * @param buffer holds the message.
     * @param offset where it starts.
     * @param length its length (decoding) or the room available (encoding).
     * @return this flyweight.
     */
    public HypercallResponse wrap(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        buffer.boundsCheck(offset, length);
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /** @return whether the message holds a whole header. */
    public boolean isHeaderComplete()
    {
        return length >= HEADER_LENGTH;
    }

    /** @param bytes output bytes expected. @return whether the message holds them. */
    public boolean hasOutput(final int bytes)
    {
        return bytes >= 0 && length - HEADER_LENGTH >= bytes;
    }

    /** @return the call id. */
    public long callId()
    {
        return buffer.getLong(offset + CALL_ID_OFFSET);
    }

    /** @param callId the call id. @return this. */
    public HypercallResponse callId(final long callId)
    {
        buffer.putLong(offset + CALL_ID_OFFSET, callId);
        return this;
    }

    /** @return the result: 0 or more on success, minus an errno on failure. */
    public long result()
    {
        return buffer.getLong(offset + RESULT_OFFSET);
    }

    /** @param result the result. @return this. */
    public HypercallResponse result(final long result)
    {
        buffer.putLong(offset + RESULT_OFFSET, result);
        return this;
    }

    /** @param outOffset offset in the output. @return the u32 there as an int. */
    public int outInt(final int outOffset)
    {
        return buffer.getInt(outIndex(outOffset, 4));
    }

    /** @param outOffset offset in the output. @return the u64 there. */
    public long outLong(final int outOffset)
    {
        return buffer.getLong(outIndex(outOffset, 8));
    }

    /** @param outOffset offset in the output. @param value the u32. @return this. */
    public HypercallResponse outInt(final int outOffset, final int value)
    {
        buffer.putInt(outIndex(outOffset, 4), value);
        return this;
    }

    /** @param outOffset offset in the output. @param value the u64. @return this. */
    public HypercallResponse outLong(final int outOffset, final long value)
    {
        buffer.putLong(outIndex(outOffset, 8), value);
        return this;
    }

    /**
     * @param outputBytes bytes of output written.
     * @return the message length to offer.
     */
    public static int messageLength(final int outputBytes)
    {
        return HEADER_LENGTH + outputBytes;
    }

    private int outIndex(final int outOffset, final int bytes)
    {
        if (outOffset < 0 || (long)outOffset + bytes > length - HEADER_LENGTH)
        {
            throw new IndexOutOfBoundsException("output bytes " + outOffset + ".." + ((long)outOffset + bytes) +
                " outside the " + (length - HEADER_LENGTH) + " output bytes of the message");
        }
        return offset + OUTPUT_OFFSET + outOffset;
    }
}
