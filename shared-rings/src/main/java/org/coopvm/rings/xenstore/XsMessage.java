package org.coopvm.rings.xenstore;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.coopvm.rings.xenstore.XsHeaderDescriptor.HEADER_LENGTH;
import static org.coopvm.rings.xenstore.XsHeaderDescriptor.LEN_OFFSET;
import static org.coopvm.rings.xenstore.XsHeaderDescriptor.REQ_ID_OFFSET;
import static org.coopvm.rings.xenstore.XsHeaderDescriptor.TX_ID_OFFSET;
import static org.coopvm.rings.xenstore.XsHeaderDescriptor.TYPE_OFFSET;

/**
 * One XenStore message: header fields and a private copy of the payload. The payload array is
 * owned by the message; callers do not change it.
 *
 * @param type    the raw type number (may be one Xen does not define).
 * @param reqId   the request id, echoed in replies.
 * @param txId    the transaction id, 0 outside a transaction.
 * @param payload the payload bytes, at most {@link XsHeaderDescriptor#PAYLOAD_MAX}.
 */
public record XsMessage(int type, int reqId, int txId, byte[] payload)
{
    /**
     * A message whose payload is the given strings, each followed by a NUL.
     *
     * @param type    the message type.
     * @param reqId   the request id.
     * @param txId    the transaction id.
     * @param strings the strings.
     * @return the message.
     */
    public static XsMessage ofStrings(final XsMessageType type, final int reqId, final int txId, final String... strings)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final String string : strings)
        {
            out.writeBytes(string.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return new XsMessage(type.code(), reqId, txId, out.toByteArray());
    }

    /**
     * A WRITE request: the path, a NUL, then the value's bytes (no NUL after them).
     *
     * @param txId  the transaction id.
     * @param path  the node.
     * @param value the value.
     * @return the message (request id 0: the sender stamps its own).
     */
    public static XsMessage write(final int txId, final String path, final byte[] value)
    {
        final byte[] name = path.getBytes(StandardCharsets.UTF_8);
        final byte[] payload = new byte[name.length + 1 + value.length];
        System.arraycopy(name, 0, payload, 0, name.length);
        System.arraycopy(value, 0, payload, name.length + 1, value.length);
        return new XsMessage(XsMessageType.WRITE.code(), 0, txId, payload);
    }

    /**
     * @return the type, or null when Xen has no such type.
     */
    public XsMessageType knownType()
    {
        return XsMessageType.fromCode(type);
    }

    /**
     * The payload split at NULs. A trailing NUL ends the last string; text after the last NUL
     * is a last string of its own (a WRITE's value has no NUL).
     *
     * @return the strings, decoded as UTF-8.
     */
    public List<String> strings()
    {
        final List<String> strings = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < payload.length; i++)
        {
            if (payload[i] == 0)
            {
                strings.add(new String(payload, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < payload.length)
        {
            strings.add(new String(payload, start, payload.length - start, StandardCharsets.UTF_8));
        }
        return strings;
    }

    /** @return the payload as text without one trailing NUL (READ replies, error names). */
    public String text()
    {
        final int length = payload.length > 0 && payload[payload.length - 1] == 0 ? payload.length - 1 : payload.length;
        return new String(payload, 0, length, StandardCharsets.UTF_8);
    }

    /** @return header and payload as they travel on the wire. */
    public byte[] encode()
    {
        final ByteBuffer out = ByteBuffer.allocate(HEADER_LENGTH + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(TYPE_OFFSET, type).putInt(REQ_ID_OFFSET, reqId).putInt(TX_ID_OFFSET, txId).putInt(LEN_OFFSET, payload.length);
        out.put(HEADER_LENGTH, payload);
        return out.array();
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof XsMessage that && type == that.type && reqId == that.reqId && txId == that.txId
            && Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode()
    {
        return 31 * (31 * (31 * type + reqId) + txId) + Arrays.hashCode(payload);
    }

    @Override
    public String toString()
    {
        return "XsMessage[type=" + type + ", reqId=" + reqId + ", txId=" + txId + ", len=" + payload.length + "]";
    }
}
