package org.coopvm.perf.latency;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.coopvm.perf.report.Subject;
import org.coopvm.perf.report.WaitMode;

/**
 * Peer: a pair of Agrona {@link OneToOneRingBuffer}s, one per direction, with spinning
 * receivers, used the way Agrona's own benchmarks use them ({@code write} then {@code read}).
 */
public final class AgronaOneToOnePingPong extends RegionTransport
{
    static final int MESSAGE_LENGTH = 64;
    private static final int MSG_TYPE_ID = 1;
    private static final int CAPACITY = 64 * 1024;
    private static final int RING_LENGTH = CAPACITY + RingBufferDescriptor.TRAILER_LENGTH;

    @Override
    public Subject subject()
    {
        return Subject.AGRONA_ONE_TO_ONE;
    }

    @Override
    public WaitMode waitMode()
    {
        return WaitMode.SPINNING;
    }

    @Override
    int bufferLength()
    {
        return 2 * RING_LENGTH;
    }

    @Override
    void initialise(final AtomicBuffer buffer)
    {
        // Zeroed memory is an empty OneToOneRingBuffer.
    }

    @Override
    PingPongEndpoint initiator(final AtomicBuffer buffer)
    {
        return new Endpoint(ring(buffer, 0), ring(buffer, 1));
    }

    @Override
    PingPongEndpoint responder(final AtomicBuffer buffer)
    {
        return new Endpoint(ring(buffer, 1), ring(buffer, 0));
    }

    private static OneToOneRingBuffer ring(final AtomicBuffer buffer, final int index)
    {
        return new OneToOneRingBuffer(new UnsafeBuffer(buffer, index * RING_LENGTH, RING_LENGTH));
    }

    private static final class Endpoint extends PollingEndpoint implements MessageHandler
    {
        private final OneToOneRingBuffer outbound;
        private final OneToOneRingBuffer inbound;
        private final UnsafeBuffer message = new UnsafeBuffer(BufferUtil.allocateDirectAligned(MESSAGE_LENGTH, 64));
        private long received;

        Endpoint(final OneToOneRingBuffer outbound, final OneToOneRingBuffer inbound)
        {
            this.outbound = outbound;
            this.inbound = inbound;
        }

        @Override
        public void send(final long value)
        {
            message.putLong(0, value);
            while (!outbound.write(MSG_TYPE_ID, message, 0, MESSAGE_LENGTH))
            {
                Thread.onSpinWait();
            }
        }

        @Override
        boolean poll()
        {
            return inbound.read(this, 1) != 0;
        }

        @Override
        long lastReceived()
        {
            return received;
        }

        @Override
        public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            received = ((DirectBuffer)buffer).getLong(index);
        }
    }
}
