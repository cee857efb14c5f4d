package org.coopvm.examples.workload;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

import java.util.zip.CRC32C;

/**
 * Layout of the page the pong grants to the ping: a request slot the ping writes and a response
 * slot the pong writes. A message is a sequence number, a 48-byte payload derived from it, and a
 * CRC32C over both; the writer stores payload and checksum, then publishes the sequence with a
 * release store; the reader loads the sequence (acquire), then the rest.
 * <pre>
 *   0                   8                                  56          64
 *   +-------------------+----------------------------------+-----------+
 *   | request seq (u64) | request payload (48 bytes)       | crc32c    |   written by ping
 *   +-------------------+----------------------------------+-----------+
 * 128                 136                                184         192
 *   +-------------------+----------------------------------+-----------+
 *   | response seq      | response payload                 | crc32c    |   written by pong
 *   +-------------------+----------------------------------+-----------+
 * </pre>
 * <p>Thread safety: one writer per slot; readers on any thread.
 */
public final class PingPongPageDescriptor
{
    /** Offset of the request slot. */
    public static final int REQUEST_OFFSET = 0;
    /** Offset of the response slot. */
    public static final int RESPONSE_OFFSET = 128;
    /** Offset of the sequence number (u64) in a slot. */
    public static final int SEQ_OFFSET = 0;
    /** Offset of the payload in a slot. */
    public static final int PAYLOAD_OFFSET = 8;
    /** Payload bytes. */
    public static final int PAYLOAD_LENGTH = 48;
    /** Offset of the CRC32C (u64, low 32 bits used) in a slot. */
    public static final int CHECKSUM_OFFSET = PAYLOAD_OFFSET + PAYLOAD_LENGTH;

    private PingPongPageDescriptor()
    {
    }

    /**
     * Write message {@code seq} into the slot at {@code slot}, publishing the sequence last.
     *
     * @param page the shared page.
     * @param slot {@link #REQUEST_OFFSET} or {@link #RESPONSE_OFFSET}.
     * @param seq  the sequence number (1 upward).
     * @param salt mixed into the payload so request and response differ.
     */
    public static void write(final AtomicBuffer page, final int slot, final long seq, final long salt)
    {
        for (int i = 0; i < PAYLOAD_LENGTH; i += 8)
        {
            page.putLong(slot + PAYLOAD_OFFSET + i, mix(seq * 31 + i + salt));
        }
        page.putLong(slot + CHECKSUM_OFFSET, checksum(page, slot, seq));
        page.putLongRelease(slot + SEQ_OFFSET, seq);
    }

    /**
     * @param page the shared page.
     * @param slot the slot.
     * @return the published sequence number (acquire load).
     */
    public static long sequence(final DirectBuffer page, final int slot)
    {
        return page instanceof AtomicBuffer atomic ? atomic.getLongAcquire(slot + SEQ_OFFSET) : page.getLong(slot + SEQ_OFFSET);
    }

    /**
     * @param page the shared page.
     * @param slot the slot.
     * @param seq  the sequence number read from the slot.
     * @param salt the salt the writer used.
     * @return whether payload and checksum are what message {@code seq} must carry.
     */
    public static boolean isIntact(final DirectBuffer page, final int slot, final long seq, final long salt)
    {
        for (int i = 0; i < PAYLOAD_LENGTH; i += 8)
        {
            if (page.getLong(slot + PAYLOAD_OFFSET + i) != mix(seq * 31 + i + salt))
            {
                return false;
            }
        }
        return page.getLong(slot + CHECKSUM_OFFSET) == checksum(page, slot, seq);
    }

    private static long checksum(final DirectBuffer page, final int slot, final long seq)
    {
        final byte[] bytes = new byte[8 + PAYLOAD_LENGTH];
        final MutableDirectBuffer scratch = new org.agrona.concurrent.UnsafeBuffer(bytes);
        scratch.putLong(0, seq);
        page.getBytes(slot + PAYLOAD_OFFSET, bytes, 8, PAYLOAD_LENGTH);
        final CRC32C crc = new CRC32C();
        crc.update(bytes);
        return crc.getValue();
    }

    private static long mix(final long value)
    {
        long z = value + 0x9E37_79B9_7F4A_7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
