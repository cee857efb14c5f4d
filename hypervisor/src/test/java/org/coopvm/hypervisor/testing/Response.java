package org.coopvm.hypervisor.testing;

import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.rings.hypercall.HypercallResponseDescriptor;

/**
 * A hypercall response as a fake guest read it.
 *
 * @param op     the message type.
 * @param callId the echoed call id.
 * @param result the result.
 * @param output the output bytes.
 */
public record Response(int op, long callId, long result, byte[] output)
{
    /** @param offset output offset. @return the u32 there. */
    public int outInt(final int offset)
    {
        return new UnsafeBuffer(output).getInt(offset);
    }

    /** @param offset output offset. @return the u64 there. */
    public long outLong(final int offset)
    {
        return new UnsafeBuffer(output).getLong(offset);
    }

    static Response decode(final int op, final org.agrona.DirectBuffer buffer, final int index, final int length)
    {
        final byte[] output = new byte[Math.max(0, length - HypercallResponseDescriptor.OUTPUT_OFFSET)];
        buffer.getBytes(index + HypercallResponseDescriptor.OUTPUT_OFFSET, output);
        return new Response(op, buffer.getLong(index + HypercallResponseDescriptor.CALL_ID_OFFSET),
            buffer.getLong(index + HypercallResponseDescriptor.RESULT_OFFSET), output);
    }
}
