package org.coopvm.rings.channel;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.zip.CRC32;

/**
 * Self-checking test messages of varying length: a sequence number, filler derived from it,
 * and a CRC32 of both, so a reader in any process can tell a torn, mixed or corrupted message.
 *
 * <pre>
 *  0        8                 bodyLength   bodyLength+4
 *  | seq u64 | filler bytes ... | crc32 u32 |
 * </pre>
 *
 * <p>Thread safety: one instance per thread.
 */
final class TestMessages
{
    static final int MSG_TYPE_ID = 7;
    static final int MAX_LENGTH = 8 + 63 + 4;

    private final CRC32 crc = new CRC32();
    private final byte[] scratch = new byte[MAX_LENGTH];

    /**
     * @return the message's length.
     */
    int encode(final MutableDirectBuffer buffer, final long seq)
    {
        final int bodyLength = 8 + (int)(seq % 64);
        buffer.putLong(0, seq);
        for (int i = 8; i < bodyLength; i++)
        {
            buffer.putByte(i, (byte)(seq * 31 + i));
        }
        buffer.putInt(bodyLength, checksum(buffer, 0, bodyLength));
        return bodyLength + 4;
    }

    /**
     * @return the message's sequence number, or -1 when its checksum or length is wrong.
     */
    long decode(final DirectBuffer buffer, final int index, final int length)
    {
        if (length < 12)
        {
            return -1;
        }
        final long seq = buffer.getLong(index);
        final int bodyLength = length - 4;
        if (bodyLength != 8 + (int)(seq % 64) || buffer.getInt(index + bodyLength) != checksum(buffer, index, bodyLength))
        {
            return -1;
        }
        return seq;
    }

    private int checksum(final DirectBuffer buffer, final int index, final int length)
    {
        buffer.getBytes(index, scratch, 0, length);
        crc.reset();
        crc.update(scratch, 0, length);
        return (int)crc.getValue();
    }
}
