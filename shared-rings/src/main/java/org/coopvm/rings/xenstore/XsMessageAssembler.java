package org.coopvm.rings.xenstore;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;

import static org.coopvm.rings.xenstore.XsHeaderDescriptor.HEADER_LENGTH;
import static org.coopvm.rings.xenstore.XsHeaderDescriptor.LEN_OFFSET;
import static org.coopvm.rings.xenstore.XsHeaderDescriptor.PAYLOAD_MAX;
import static org.coopvm.rings.xenstore.XsHeaderDescriptor.REQ_ID_OFFSET;
import static org.coopvm.rings.xenstore.XsHeaderDescriptor.TX_ID_OFFSET;
import static org.coopvm.rings.xenstore.XsHeaderDescriptor.TYPE_OFFSET;

/**
 * Cuts a byte stream (socket or ring) into {@link XsMessage}s. Bytes are copied into private
 * memory as they arrive, so a peer changing shared memory afterwards changes nothing. A header
 * announcing more than {@link XsHeaderDescriptor#PAYLOAD_MAX} bytes is a protocol error: the
 * assembler stops and reports it, and the transport closes the connection as Xen does.
 *
 * <p>Not thread safe: one assembler per connection, used by the thread reading it.
 */
public final class XsMessageAssembler
{
    private final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    private byte[] payload;
    private int payloadFilled;
    private boolean broken;

    /**
     * Feeds bytes; hands each completed message to the sink.
     *
     * @param bytes  source array.
     * @param offset first byte.
     * @param length number of bytes.
     * @param sink   receives complete messages, in order.
     * @return false when the stream is broken (oversized length); the rest is ignored.
     */
    public boolean feed(final byte[] bytes, final int offset, final int length, final Consumer<XsMessage> sink)
    {
        int position = offset;
        final int end = offset + length;
        while (!broken && position < end)
        {
            position = payload == null ? fillHeader(bytes, position, end) : fillPayload(bytes, position, end);
            if (payload != null && payloadFilled == payload.length)
            {
                sink.accept(complete());
            }
        }
        return !broken;
    }

    /** @return true when a header announced an oversized payload. */
    public boolean broken()
    {
        return broken;
    }

    /** @return true when no partial message is buffered. */
    public boolean idle()
    {
        return payload == null && header.position() == 0;
    }

    private int fillHeader(final byte[] bytes, final int position, final int end)
    {
        final int take = Math.min(header.remaining(), end - position);
        header.put(bytes, position, take);
        if (!header.hasRemaining())
        {
            final int length = header.getInt(LEN_OFFSET);
            if (length < 0 || length > PAYLOAD_MAX)
            {
                broken = true;
            }
            else
            {
                payload = new byte[length];
                payloadFilled = 0;
            }
        }
        return position + take;
    }

    private int fillPayload(final byte[] bytes, final int position, final int end)
    {
        final int take = Math.min(payload.length - payloadFilled, end - position);
        System.arraycopy(bytes, position, payload, payloadFilled, take);
        payloadFilled += take;
        return position + take;
    }

    private XsMessage complete()
    {
        final XsMessage message = new XsMessage(header.getInt(TYPE_OFFSET), header.getInt(REQ_ID_OFFSET),
            header.getInt(TX_ID_OFFSET), payload);
        header.clear();
        payload = null;
        return message;
    }
}
