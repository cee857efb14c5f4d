package org.coopvm.perf.latency;

/**
 * Created or attached shared structures of one {@link PingPongTransport}, from which the two
 * endpoints are built. {@link #close()} only once no thread uses the endpoints any more.
 */
public interface PingPongLink extends AutoCloseable
{
    /** @return the end that sends first and measures; call once. */
    PingPongEndpoint initiator();

    /** @return the end that echoes every message back; call once. */
    PingPongEndpoint responder();

    /** Release the memory (and delete the files when this side created them). */
    @Override
    void close();
}
