package org.coopvm.perf.throughput;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/** The message every throughput benchmark sends: 64 bytes, cache-line aligned. */
final class OneWayMessages
{
    /** Bytes per message. */
    static final int MESSAGE_LENGTH = 64;
    /** Messages a consumer takes per poll at most. */
    static final int POLL_LIMIT = 64;
    /**
     * Bytes of buffering every subject gets (ring capacity, Xen slots, Aeron's term window), so
     * that on a busy machine, where the two threads often do not run at once, no subject wins
     * just by buffering more messages per time slice.
     */
    static final int RING_CAPACITY = 1024 * 1024;

    private OneWayMessages()
    {
    }

    /** @return a fresh aligned 64-byte message with a recognisable pattern. */
    static UnsafeBuffer newMessage()
    {
        final UnsafeBuffer message = new UnsafeBuffer(BufferUtil.allocateDirectAligned(MESSAGE_LENGTH, 64));
        for (int i = 0; i < MESSAGE_LENGTH; i += Long.BYTES)
        {
            message.putLong(i, 0x0101010101010101L * i);
        }
        return message;
    }
}
