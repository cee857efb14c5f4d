package org.coopvm.rings.xen;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A front thread and a back thread, both spinning, exchange millions of requests and
 * responses: nothing lost, nothing duplicated, order kept, no fault.
 */
class XenRingTwoThreadTest
{
    private static final int MESSAGES = 2_000_000;
    private static final int RING_BYTES = 4096;
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(60);
    private static final long MIX = 0x9E37_79B9_7F4A_7C15L;

    @Test
    void twoMillionRoundTripsArriveOnceAndInOrder() throws Exception
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(RING_BYTES, 4096));
        final FrontRing front = FrontRing.initialise(buffer, 0, RING_BYTES, RingPair.SLOT_BYTES);
        final BackRing back = BackRing.attach(buffer, 0, RING_BYTES, RingPair.SLOT_BYTES);
        final long deadline = System.nanoTime() + DEADLINE_NS;
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        final Thread backThread = Thread.ofPlatform().name("xen-back").start(() -> guard(failure, () -> serve(back, deadline)));
        guard(failure, () -> drive(front, deadline));
        backThread.join(TimeUnit.NANOSECONDS.toMillis(Math.max(1, deadline - System.nanoTime())) + 1000);

        assertThat(failure.get()).as("failure in a ring thread").isNull();
        assertThat(backThread.isAlive()).as("back thread finished").isFalse();
        assertThat(front.responseConsumerIndex()).isEqualTo(MESSAGES);
        assertThat(back.requestConsumerIndex()).isEqualTo(MESSAGES);
        assertThat(front.fault()).isEqualTo(RingFault.NONE);
        assertThat(back.fault()).isEqualTo(RingFault.NONE);
    }

    private static void drive(final FrontRing front, final long deadline)
    {
        final UnsafeBuffer response = new UnsafeBuffer(new byte[RingPair.SLOT_BYTES]);
        long sent = 0;
        long received = 0;
        int idle = 0;
        while (received < MESSAGES)
        {
            int slot;
            int work = 0;
            while (sent < MESSAGES && (slot = front.claimRequest()) != FrontRing.NO_SLOT)
            {
                front.buffer().putLong(slot, sent);
                front.buffer().putLong(slot + 8, sent * MIX);
                sent++;
                work++;
            }
            front.pushRequestsAndCheckNotify();
            while (front.copyResponse(response, 0))
            {
                assertThat(response.getLong(0)).as("response sequence").isEqualTo(received);
                assertThat(response.getLong(8)).as("response checksum").isEqualTo(~(received * MIX));
                received++;
                work++;
            }
            idle = work > 0 ? 0 : pause(idle, deadline, front.finalCheckForResponses());
        }
    }

    private static void serve(final BackRing back, final long deadline)
    {
        final UnsafeBuffer request = new UnsafeBuffer(new byte[RingPair.SLOT_BYTES]);
        long served = 0;
        int idle = 0;
        while (served < MESSAGES)
        {
            int work = 0;
            while (back.copyRequest(request, 0))
            {
                final long seq = request.getLong(0);
                assertThat(seq).as("request sequence").isEqualTo(served);
                assertThat(request.getLong(8)).as("request checksum").isEqualTo(seq * MIX);
                final int slot = back.claimResponse();
                back.buffer().putLong(slot, seq);
                back.buffer().putLong(slot + 8, ~(seq * MIX));
                served++;
                work++;
            }
            back.pushResponsesAndCheckNotify();
            idle = work > 0 ? 0 : pause(idle, deadline, back.finalCheckForRequests());
        }
    }

    /** Spin; on a busy 2-core machine yield now and then so the peer thread gets a core. */
    private static int pause(final int idle, final long deadline, final boolean workPending)
    {
        if (System.nanoTime() - deadline > 0)
        {
            throw new AssertionError("deadline passed");
        }
        if (!workPending && (idle & 0xFF) == 0xFF)
        {
            Thread.yield();
        }
        else
        {
            Thread.onSpinWait();
        }
        return idle + 1;
    }

    private static void guard(final AtomicReference<Throwable> failure, final Runnable body)
    {
        try
        {
            body.run();
        }
        catch (final Throwable ex)
        {
            failure.compareAndSet(null, ex);
        }
    }
}
