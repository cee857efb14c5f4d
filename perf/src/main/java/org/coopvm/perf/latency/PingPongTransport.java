package org.coopvm.perf.latency;

import org.agrona.concurrent.AtomicBuffer;
import org.coopvm.perf.report.Subject;
import org.coopvm.perf.report.WaitMode;

/**
 * A way to carry ping-pong messages over shared memory: lays out its rings or words in a
 * buffer (anonymous memory for two threads, a mapped file for two processes) and builds the
 * two endpoints over it.
 *
 * <p>{@link #initialise} runs once, by the creator, before either endpoint exists; each endpoint
 * is then used by one thread. The buffer must stay mapped until both endpoints are done.
 */
public interface PingPongTransport
{
    /** @return what this transport is, for the report. */
    Subject subject();

    /** @return how its receivers wait. */
    WaitMode waitMode();

    /** @return bytes of buffer the transport needs, from offset 0. */
    int bufferLength();

    /**
     * Lay out the shared structures in zeroed memory.
     *
     * @param buffer at least {@link #bufferLength()} bytes, zero-filled.
     */
    void initialise(AtomicBuffer buffer);

    /**
     * @param buffer the initialised buffer.
     * @return the end that sends first and measures.
     */
    PingPongEndpoint initiator(AtomicBuffer buffer);

    /**
     * @param buffer the initialised buffer (possibly mapped by another process).
     * @return the end that echoes every message back.
     */
    PingPongEndpoint responder(AtomicBuffer buffer);
}
