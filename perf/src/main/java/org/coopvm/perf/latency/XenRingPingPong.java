package org.coopvm.perf.latency;

import org.agrona.BufferUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.perf.report.Subject;
import org.coopvm.perf.report.WaitMode;
import org.coopvm.rings.mem.Pages;
import org.coopvm.rings.xen.BackRing;
import org.coopvm.rings.xen.FrontRing;

/**
 * Ours, spinning: one Xen {@code io/ring.h} ring of 64-byte slots in one page. The initiator
 * is the front (request in a slot, push), the responder the back (copy the request out, answer
 * in the response slot, push); both spin on the peer's producer index. Neither side ever
 * sleeps, so both use the plain {@code RING_PUSH_REQUESTS} / {@code RING_PUSH_RESPONSES}
 * (release store of the producer index, no fence, no event index), as Xen allows for
 * polling peers; the blocking variant keeps {@code *_AND_CHECK_NOTIFY}.
 */
public final class XenRingPingPong extends RegionTransport
{
    /** One page: 32 slots of 64 bytes after the 64-byte header. */
    static final int RING_BYTES = Pages.PAGE_SIZE;
    static final int SLOT_BYTES = 64;

    @Override
    public Subject subject()
    {
        return Subject.XEN_RING;
    }

    @Override
    public WaitMode waitMode()
    {
        return WaitMode.SPINNING;
    }

    @Override
    int bufferLength()
    {
        return RING_BYTES;
    }

    @Override
    void initialise(final AtomicBuffer buffer)
    {
        FrontRing.initialise(buffer, 0, RING_BYTES, SLOT_BYTES);
    }

    @Override
    PingPongEndpoint initiator(final AtomicBuffer buffer)
    {
        return new Front(FrontRing.attach(buffer, 0, RING_BYTES, SLOT_BYTES, 0));
    }

    @Override
    PingPongEndpoint responder(final AtomicBuffer buffer)
    {
        return new Back(BackRing.attach(buffer, 0, RING_BYTES, SLOT_BYTES));
    }

    /**
     * One half of the ring as an endpoint. {@link #send} uses the plain push
     * ({@code RING_PUSH_*}: no fence, no event index), right for a peer that only polls;
     * {@link #push} is {@code RING_PUSH_*_AND_CHECK_NOTIFY}, for a peer that may sleep.
     */
    abstract static class HalfEndpoint extends PollingEndpoint
    {
        /**
         * Copy the message into the next slot, not yet visible to the peer.
         *
         * @param value the sequence number.
         */
        abstract void put(long value);

        /** {@code RING_PUSH_*}: publish what {@link #put} wrote, for a peer that never sleeps. */
        abstract void publish();

        /** @return {@code RING_PUSH_*_AND_CHECK_NOTIFY}: whether the peer must be notified. */
        abstract boolean publishAndCheckNotify();

        /** @return whether something is waiting (reads the peer's producer index). */
        abstract boolean hasUnconsumed();

        /** @return {@code RING_FINAL_CHECK_FOR_*}: arms the event index, then looks again. */
        abstract boolean finalCheck();

        /**
         * Copy the message into the next slot and push it, for a peer that may sleep.
         *
         * @param value the sequence number.
         * @return whether the peer must be notified.
         */
        final boolean push(final long value)
        {
            put(value);
            return publishAndCheckNotify();
        }

        @Override
        public final void send(final long value)
        {
            put(value);
            publish();
        }
    }

    static UnsafeBuffer newSlotBuffer()
    {
        return new UnsafeBuffer(BufferUtil.allocateDirectAligned(SLOT_BYTES, 64));
    }

    /** The front: sends requests, receives responses. */
    static final class Front extends HalfEndpoint
    {
        private final FrontRing ring;
        private final UnsafeBuffer outgoing = newSlotBuffer();
        private final UnsafeBuffer incoming = newSlotBuffer();

        Front(final FrontRing ring)
        {
            this.ring = ring;
        }

        @Override
        boolean hasUnconsumed()
        {
            return ring.unconsumedResponses() != 0;
        }

        @Override
        boolean finalCheck()
        {
            return ring.finalCheckForResponses();
        }

        @Override
        void put(final long value)
        {
            outgoing.putLong(0, value);
            if (!ring.putRequest(outgoing, 0, SLOT_BYTES))
            {
                throw new IllegalStateException("Xen ring full or faulted: " + ring.faultDescription());
            }
        }

        @Override
        void publish()
        {
            ring.pushRequests();
        }

        @Override
        boolean publishAndCheckNotify()
        {
            return ring.pushRequestsAndCheckNotify();
        }

        @Override
        boolean poll()
        {
            return ring.copyResponse(incoming, 0);
        }

        @Override
        long lastReceived()
        {
            return incoming.getLong(0);
        }

    }

    /** The back: receives requests, answers each in its response slot. */
    static final class Back extends HalfEndpoint
    {
        private final BackRing ring;
        private final UnsafeBuffer outgoing = newSlotBuffer();
        private final UnsafeBuffer incoming = newSlotBuffer();

        Back(final BackRing ring)
        {
            this.ring = ring;
        }

        @Override
        boolean hasUnconsumed()
        {
            return ring.unconsumedRequests() != 0;
        }

        @Override
        boolean finalCheck()
        {
            return ring.finalCheckForRequests();
        }

        @Override
        void put(final long value)
        {
            outgoing.putLong(0, value);
            if (!ring.putResponse(outgoing, 0, SLOT_BYTES))
            {
                throw new IllegalStateException("no Xen ring request to answer: " + ring.faultDescription());
            }
        }

        @Override
        void publish()
        {
            ring.pushResponses();
        }

        @Override
        boolean publishAndCheckNotify()
        {
            return ring.pushResponsesAndCheckNotify();
        }

        @Override
        boolean poll()
        {
            return ring.copyRequest(incoming, 0);
        }

        @Override
        long lastReceived()
        {
            return incoming.getLong(0);
        }

    }
}
