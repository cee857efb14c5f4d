package org.coopvm.perf.throughput;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.rings.channel.ChannelConsumer;
import org.coopvm.rings.channel.ChannelKind;
import org.coopvm.rings.channel.ChannelProducer;
import org.coopvm.rings.channel.MessageChannel;
import org.coopvm.rings.channel.OfferResult;
import org.coopvm.rings.doorbell.WaitConfig;
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
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;

/**
 * Ours: one-way throughput of a one-to-one message channel (1 MiB ring): the producer thread
 * offers (which also checks whether the consumer sleeps), the consumer thread polls.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ChannelThroughput implements MessageHandler
{
    private static final int MSG_TYPE_ID = 1;

    private MessageChannel channel;
    private ChannelProducer producer;
    private ChannelConsumer consumer;
    private UnsafeBuffer message;
    private long checksum;

    /** A fresh channel in anonymous memory for each trial. */
    @Setup(Level.Trial)
    public void setUp()
    {
        channel = MessageChannel.createAnonymous(ChannelKind.ONE_TO_ONE, OneWayMessages.RING_CAPACITY, 0);
        producer = channel.openProducer(SystemEpochClock.INSTANCE, WaitConfig.DEFAULT);
        consumer = channel.openConsumer(SystemEpochClock.INSTANCE, WaitConfig.DEFAULT);
        message = OneWayMessages.newMessage();
    }

    /** Close both ends and free the memory. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        channel.close();
    }

    /** @return whether the message was accepted; FULL counts as a failed offer. */
    @Benchmark
    @Group("oneWay")
    @GroupThreads(1)
    public boolean producer()
    {
        return producer.offer(MSG_TYPE_ID, message, 0, OneWayMessages.MESSAGE_LENGTH) == OfferResult.ACCEPTED;
    }

    /** @param received counts the messages polled. */
    @Benchmark
    @Group("oneWay")
    @GroupThreads(1)
    public void consumer(final ReceivedMessages received)
    {
        received.messages += consumer.poll(this, OneWayMessages.POLL_LIMIT);
    }

    @Override
    public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        checksum += ((DirectBuffer)buffer).getLong(index);
    }
}
