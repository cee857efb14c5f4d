package org.coopvm.perf.latency;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.rings.mem.Pages;

/**
 * Layout of the payload of a round-trip benchmark region (benchmark-only, not part of the ABI).
 *
 * <pre>
 *   0                   4                                   4096
 *   +-------------------+-----------------------------------+------------------------------+
 *   | ready (u32)       | unused (rest of the first page)   | transport (rings or words)   |
 *   +-------------------+-----------------------------------+------------------------------+
 * </pre>
 *
 * The responder stores 1 in {@code ready} (release) once its endpoint exists; the transport
 * starts on a page boundary. Stateless; any thread.
 */
public final class RoundTripRegionDescriptor
{
    /** u32 the responder sets to {@link #READY} once attached. */
    public static final int READY_OFFSET = 0;
    /** First byte of the transport's own layout. */
    public static final int TRANSPORT_OFFSET = Pages.PAGE_SIZE;
    /** Value of {@code ready} once the responder is attached. */
    public static final int READY = 1;

    private RoundTripRegionDescriptor()
    {
    }

    /**
     * @param transport what the region will carry.
     * @return payload bytes the region needs.
     */
    public static int payloadLength(final PingPongTransport transport)
    {
        return TRANSPORT_OFFSET + transport.bufferLength();
    }

    /**
     * @param payload   the region's payload buffer.
     * @param transport what the region carries.
     * @return the part of the payload the transport owns.
     */
    public static AtomicBuffer transportBuffer(final AtomicBuffer payload, final PingPongTransport transport)
    {
        return new UnsafeBuffer(payload, TRANSPORT_OFFSET, transport.bufferLength());
    }
}
