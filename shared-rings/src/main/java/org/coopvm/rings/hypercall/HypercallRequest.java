package org.coopvm.rings.hypercall;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static org.coopvm.rings.hypercall.HypercallDescriptor.*;

/**
 * Flyweight over a hypercall request ({@link HypercallDescriptor}): the guest encodes with the
 * setters into a buffer it then offers on the hypercall channel; the host decodes a private
 * copy. Argument accessors take offsets relative to {@link HypercallDescriptor#ARGS_OFFSET}; a
 * decoder checks {@link #hasArgs(int)} before reading, the getters check bounds themselves and
 * throw {@code IndexOutOfBoundsException} otherwise.
 *
 * <p>Thread safety: one thread per instance.
 */
public final class HypercallRequest
{
    private MutableDirectBuffer buffer;
    private int offset;
    private int length;

    /**
     * Wrap a message for reading or writing.
     *
     * @param buffer holds the message.
     * @param offset where it starts.
     * @param length its length in bytes (for decoding: the received length; for encoding: the
     *               room available).
     * @return this flyweight.
     */
    public HypercallRequest wrap(final MutableDirectBuffer buffer, final int offset, final int length)
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

    /** @return bytes of arguments (negative when the header is incomplete). */
    public int argsLength()
    {
        return length - HEADER_LENGTH;
    }

    /**
     * @param bytes argument bytes a command needs.
     * @return whether the message holds at least that many argument bytes.
     */
    public boolean hasArgs(final int bytes)
    {
        return bytes >= 0 && argsLength() >= bytes;
    }

    /** @return the call id. */
    public long callId()
    {
        return buffer.getLong(offset + CALL_ID_OFFSET);
    }

    /** @param callId the call id. @return this. */
    public HypercallRequest callId(final long callId)
    {
        buffer.putLong(offset + CALL_ID_OFFSET, callId);
        return this;
    }

    /** @return the calling vCPU. */
    public int vcpu()
    {
        return buffer.getInt(offset + VCPU_OFFSET);
    }

    /** @param vcpu the calling vCPU. @return this. */
    public HypercallRequest vcpu(final int vcpu)
    {
        buffer.putInt(offset + VCPU_OFFSET, vcpu);
        return this;
    }

    /** @return the sub-command. */
    public int cmd()
    {
        return buffer.getInt(offset + CMD_OFFSET);
    }

    /** @param cmd the sub-command. @return this. */
    public HypercallRequest cmd(final int cmd)
    {
        buffer.putInt(offset + CMD_OFFSET, cmd);
        return this;
    }

    /** @param argOffset offset in the arguments. @return the u32 there as an int. */
    public int argInt(final int argOffset)
    {
        return buffer.getInt(argIndex(argOffset, 4));
    }

    /** @param argOffset offset in the arguments. @return the u16 there, unsigned. */
    public int argUnsignedShort(final int argOffset)
    {
        return buffer.getShort(argIndex(argOffset, 2)) & 0xFFFF;
    }

    /** @param argOffset offset in the arguments. @return the u64 there. */
    public long argLong(final int argOffset)
    {
        return buffer.getLong(argIndex(argOffset, 8));
    }

    /** @param argOffset offset in the arguments. @param value the u32. @return this. */
    public HypercallRequest argInt(final int argOffset, final int value)
    {
        buffer.putInt(argIndex(argOffset, 4), value);
        return this;
    }

    /** @param argOffset offset in the arguments. @param value the u16. @return this. */
    public HypercallRequest argShort(final int argOffset, final int value)
    {
        buffer.putShort(argIndex(argOffset, 2), (short)value);
        return this;
    }

    /** @param argOffset offset in the arguments. @param value the u64. @return this. */
    public HypercallRequest argLong(final int argOffset, final long value)
    {
        buffer.putLong(argIndex(argOffset, 8), value);
        return this;
    }

    /**
     * @param argOffset offset in the arguments.
     * @param src       bytes to copy in.
     * @param srcOffset where they start.
     * @param bytes     how many.
     * @return this.
     */
    public HypercallRequest argBytes(final int argOffset, final DirectBuffer src, final int srcOffset, final int bytes)
    {
        buffer.putBytes(argIndex(argOffset, bytes), src, srcOffset, bytes);
        return this;
    }

    /** @return the buffer wrapped. */
    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /** @return where the arguments start in {@link #buffer()}. */
    public int argsIndex()
    {
        return offset + ARGS_OFFSET;
    }

    /**
     * @param argsBytes bytes of arguments written.
     * @return the message length to offer: header plus {@code argsBytes}.
     */
    public static int messageLength(final int argsBytes)
    {
        return HEADER_LENGTH + argsBytes;
    }

    private int argIndex(final int argOffset, final int bytes)
    {
        if (argOffset < 0 || bytes < 0 || (long)argOffset + bytes > argsLength())
        {
            throw new IndexOutOfBoundsException("argument bytes " + argOffset + ".." + ((long)argOffset + bytes) +
                " outside the " + argsLength() + " argument bytes of the message");
        }
        return offset + ARGS_OFFSET + argOffset;
    }
}
