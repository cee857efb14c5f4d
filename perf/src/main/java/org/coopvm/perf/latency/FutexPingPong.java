package org.coopvm.perf.latency;

import org.agrona.concurrent.AtomicBuffer;
import org.coopvm.rings.doorbell.Futex;
import org.coopvm.perf.report.Subject;
import org.coopvm.perf.report.WaitMode;

import java.util.concurrent.TimeUnit;

/**
 * Baseline: two futex words, one per direction. A sender stores the sequence number and
 * always calls {@code FUTEX_WAKE}; a receiver sleeps in {@code FUTEX_WAIT} until the word
 * changes, without spinning first. What blocking costs with nothing else around it.
 */
public final class FutexPingPong extends RegionTransport
{
    /** Word the initiator writes, on its own cache line. */
    static final int PING_OFFSET = 0;
    /** Word the responder writes, on its own cache line. */
    static final int PONG_OFFSET = 128;
    private static final long MAX_SLEEP_NS = TimeUnit.MILLISECONDS.toNanos(100);

    @Override
    public Subject subject()
    {
        return Subject.FUTEX_BASELINE;
    }

    @Override
    public WaitMode waitMode()
    {
        return WaitMode.BLOCKING;
    }

    @Override
    int bufferLength()
    {
        return 256;
    }

    @Override
    void initialise(final AtomicBuffer buffer)
    {
        // Both words start at zero; sequence numbers start at one.
    }

    @Override
    PingPongEndpoint initiator(final AtomicBuffer buffer)
    {
        return new Endpoint(buffer, PING_OFFSET, PONG_OFFSET);
    }

    @Override
    PingPongEndpoint responder(final AtomicBuffer buffer)
    {
        return new Endpoint(buffer, PONG_OFFSET, PING_OFFSET);
    }

    private static final class Endpoint implements PingPongEndpoint
    {
        private final AtomicBuffer buffer;
        private final int outOffset;
        private final int inOffset;
        private final long outAddress;
        private final long inAddress;
        private int lastSeen;

        Endpoint(final AtomicBuffer buffer, final int outOffset, final int inOffset)
        {
            this.buffer = buffer;
            this.outOffset = outOffset;
            this.inOffset = inOffset;
            this.outAddress = buffer.addressOffset() + outOffset;
            this.inAddress = buffer.addressOffset() + inOffset;
        }

        @Override
        public void send(final long value)
        {
            buffer.putIntRelease(outOffset, (int)value);
            Futex.wake(outAddress, 1);
        }

        @Override
        public long receive(final long deadlineNs)
        {
            while (true)
            {
                final int current = buffer.getIntVolatile(inOffset);
                if (current != lastSeen)
                {
                    lastSeen = current;
                    return current;
                }
                final long remainingNs = deadlineNs - System.nanoTime();
                if (remainingNs <= 0)
                {
                    return NO_MESSAGE;
                }
                Futex.await(inAddress, current, Math.min(remainingNs, MAX_SLEEP_NS));
            }
        }
    }
}
