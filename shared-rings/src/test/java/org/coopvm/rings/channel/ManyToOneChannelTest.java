package org.coopvm.rings.channel;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.rings.doorbell.WaitConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ManyToOneChannelTest
{
    private static final int PRODUCERS = 3;
    private static final long PER_PRODUCER = 1_000_000;
    private static final int MSG_TYPE_ID = 3;
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(90);

    @Test
    void threeMillionMessagesFromThreeThreadsArriveOnceEachInPerProducerOrder() throws Exception
    {
        try (MessageChannel channel = MessageChannel.createAnonymous(ChannelKind.MANY_TO_ONE, 1 << 16, 1))
        {
            final ChannelProducer producer = channel.openProducer(SystemEpochClock.INSTANCE, WaitConfig.DEFAULT);
            final ChannelConsumer consumer = channel.openConsumer(SystemEpochClock.INSTANCE, WaitConfig.DEFAULT);
            final List<CompletableFuture<OfferResult>> senders = new ArrayList<>();
            for (int id = 0; id < PRODUCERS; id++)
            {
                final int producerId = id;
                senders.add(CompletableFuture.supplyAsync(() -> send(producer, producerId), runnable -> Thread.ofPlatform().start(runnable)));
            }

            final OrderChecker checker = new OrderChecker();
            final long deadlineNs = System.nanoTime() + DEADLINE_NS;
            while (checker.total < PRODUCERS * PER_PRODUCER && checker.fault == null && System.nanoTime() - deadlineNs < 0)
            {
                if (consumer.poll(checker, 1024) == 0)
                {
                    consumer.awaitMessages(TimeUnit.MILLISECONDS.toNanos(100));
                }
            }

            assertThat(checker.fault).isNull();
            assertThat(checker.nextSeq).containsOnly(PER_PRODUCER);
            for (final CompletableFuture<OfferResult> sender : senders)
            {
                assertThat(sender.get(30, TimeUnit.SECONDS)).isEqualTo(OfferResult.ACCEPTED);
            }
            assertThat(consumer.poll(checker, 1)).as("nothing duplicated after the last message").isZero();
        }
    }

    private static OfferResult send(final ChannelProducer producer, final int producerId)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[12]);
        buffer.putInt(0, producerId);
        final long deadlineNs = System.nanoTime() + DEADLINE_NS;
        for (long seq = 0; seq < PER_PRODUCER; seq++)
        {
            buffer.putLong(4, seq);
            OfferResult result;
            while ((result = producer.offer(MSG_TYPE_ID, buffer, 0, 12)) == OfferResult.FULL && System.nanoTime() - deadlineNs < 0)
            {
                Thread.yield();
            }
            if (result != OfferResult.ACCEPTED)
            {
                return result;
            }
        }
        return OfferResult.ACCEPTED;
    }

    private static final class OrderChecker implements MessageHandler
    {
        private final long[] nextSeq = new long[PRODUCERS];
        private long total;
        private String fault;

        @Override
        public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            total++;
            final int producerId = length == 12 ? buffer.getInt(index) : -1;
            if (msgTypeId != MSG_TYPE_ID || producerId < 0 || producerId >= PRODUCERS)
            {
                fault = fault != null ? fault : "malformed message type " + msgTypeId + " length " + length;
                return;
            }
            final long seq = buffer.getLong(index + 4);
            if (seq != nextSeq[producerId] && fault == null)
            {
                fault = "producer " + producerId + " expected seq " + nextSeq[producerId] + " got " + seq +
                    (seq < nextSeq[producerId] ? " (duplicate or reordered)" : " (lost)");
            }
            nextSeq[producerId] = seq + 1;
        }
    }
}
