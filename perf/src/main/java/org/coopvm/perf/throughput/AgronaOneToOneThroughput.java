package org.coopvm.perf.throughput;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * Peer: one-way throughput of Agrona's {@link OneToOneRingBuffer}, one producer thread
 * ({@code write}) and one consumer thread ({@code read}), as Agrona's own benchmarks do.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AgronaOneToOneThroughput implements MessageHandler
{
    private static final int MSG_TYPE_ID = 1;

    private OneToOneRingBuffer ring;
    private UnsafeBuffer message;
    private long checksum;

    /** A fresh, empty ring for each trial. */
    @Setup(Level.Trial)
    public void setUp()
    {
        final int length = OneWayMessages.RING_CAPACITY + RingBufferDescriptor.TRAILER_LENGTH;
        ring = new OneToOneRingBuffer(new UnsafeBuffer(BufferUtil.allocateDirectAligned(length, 64)));
        message = OneWayMessages.newMessage();
    }

    /** @return whether the message fitted; a full ring counts as a failed offer. */
    @Benchmark
    @Group("oneWay")
    @GroupThreads(1)
    public boolean producer()
    {
        return ring.write(MSG_TYPE_ID, message, 0, OneWayMessages.MESSAGE_LENGTH);
    }

    /** @param received counts the messages read. */
    @Benchmark
    @Group("oneWay")
    @GroupThreads(1)
    public void consumer(final ReceivedMessages received)
    {
        received.messages += ring.read(this, OneWayMessages.POLL_LIMIT);
    }

    @Override
    public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        checksum += ((DirectBuffer)buffer).getLong(index);
    }
}
