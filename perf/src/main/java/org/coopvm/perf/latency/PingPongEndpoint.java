package org.coopvm.perf.latency;

/**
 * One end of a round-trip pair: sends 64-byte messages that carry a sequence number, and
 * waits for the next message from the other end (spinning or blocking, per transport).
 *
 * <p>Single-threaded: one thread per endpoint.
 */
public interface PingPongEndpoint
{
    /** Returned by {@link #receive(long)} when the deadline passed with no message. */
    long NO_MESSAGE = Long.MIN_VALUE;

    /**
     * Send one 64-byte message carrying {@code value}.
     *
     * @param value a positive sequence number.
     */
    void send(long value);

    /**
     * Wait for the next message from the other end.
     *
     * @param deadlineNs {@link System#nanoTime()} after which to give up.
     * @return the value the message carries, or {@link #NO_MESSAGE} when the deadline passed.
     */
    long receive(long deadlineNs);
}
