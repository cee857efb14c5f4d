package org.coopvm.rings.channel;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.rings.doorbell.PeerLivenessDescriptor;
import org.coopvm.rings.doorbell.WaitConfig;
import org.coopvm.rings.doorbell.WaitResult;
import org.coopvm.rings.testing.ChildJvm;
import org.coopvm.rings.testing.ShmDirectory;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class CrossProcessChannelTest
{
    private static final long MESSAGES = 1_000_000;
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(90);

    @Test
    void aMillionMessagesEachWayBetweenTwoJvmsArriveIntactAndInOrder() throws Exception
    {
        try (ShmDirectory dir = new ShmDirectory();
            MessageChannel toChild = MessageChannel.createFile(dir.resolve("to-child"), ChannelKind.ONE_TO_ONE, 1 << 20, 1);
            MessageChannel fromChild = MessageChannel.createFile(dir.resolve("from-child"), ChannelKind.ONE_TO_ONE, 1 << 20, 1))
        {
            final ChannelProducer producer = toChild.openProducer(SystemEpochClock.INSTANCE, WaitConfig.DEFAULT);
            final ChannelConsumer consumer = fromChild.openConsumer(SystemEpochClock.INSTANCE, WaitConfig.DEFAULT);
            try (ChildJvm child = ChildJvm.start(ChannelChild.class, "echo", path(toChild), path(fromChild), String.valueOf(MESSAGES)))
            {
                final CompletableFuture<OfferResult> sent = CompletableFuture.supplyAsync(() -> send(producer));
                final Verifier verifier = new Verifier();
                final long deadlineNs = System.nanoTime() + DEADLINE_NS;
                while (verifier.received < MESSAGES && verifier.fault == null && System.nanoTime() - deadlineNs < 0)
                {
                    if (consumer.poll(verifier, 256) == 0 && consumer.awaitMessages(TimeUnit.SECONDS.toNanos(1)) == WaitResult.PEER_GONE)
                    {
                        verifier.fault = "child gone after " + verifier.received + " echoes";
                    }
                }

                assertThat(verifier.fault).as("child output:%n%s", child.output()).isNull();
                assertThat(verifier.received).as("echoes received; child output:%n%s", child.output()).isEqualTo(MESSAGES);
                assertThat(sent.get(30, TimeUnit.SECONDS)).isEqualTo(OfferResult.ACCEPTED);
                child.awaitSuccess(Duration.ofSeconds(30));
            }
        }
    }

    @Test
    void producerSeesPeerGoneWhenTheConsumerProcessIsKilled() throws Exception
    {
        final WaitConfig fastChecks = WaitConfig.DEFAULT.withLivenessCheckIntervalNs(10_000_000L);
        try (ShmDirectory dir = new ShmDirectory();
            MessageChannel channel = MessageChannel.createFile(dir.resolve("channel"), ChannelKind.MANY_TO_ONE, 1024, 1);
            ChildJvm child = ChildJvm.start(ChannelChild.class, "idle-consumer", path(channel)))
        {
            final ChannelProducer producer = channel.openProducer(SystemEpochClock.INSTANCE, fastChecks);
            final int consumerState = ChannelDescriptor.CONSUMER_LIVENESS_OFFSET + PeerLivenessDescriptor.STATE_OFFSET;
            await().atMost(Duration.ofSeconds(60)).failFast(() -> !child.isAlive())
                .until(() -> channel.region().payloadBuffer().getIntVolatile(consumerState) == PeerLivenessDescriptor.STATE_ALIVE);
            final UnsafeBuffer message = new UnsafeBuffer(new byte[100]);
            while (producer.offer(1, message, 0, message.capacity()) == OfferResult.ACCEPTED)
            {
                assertThat(producer.isPeerGone()).isFalse();
            }
            assertThat(producer.offer(1, message, 0, message.capacity())).as("live consumer not draining").isEqualTo(OfferResult.FULL);

            child.kill();

            await().atMost(Duration.ofSeconds(20))
                .until(() -> producer.offer(1, message, 0, message.capacity()) == OfferResult.PEER_GONE);
            assertThat(producer.isPeerGone()).isTrue();
        }
    }

    private static OfferResult send(final ChannelProducer producer)
    {
        final TestMessages messages = new TestMessages();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[TestMessages.MAX_LENGTH]);
        final long deadlineNs = System.nanoTime() + DEADLINE_NS;
        for (long seq = 0; seq < MESSAGES; seq++)
        {
            final int length = messages.encode(buffer, seq);
            OfferResult result;
            while ((result = producer.offer(TestMessages.MSG_TYPE_ID, buffer, 0, length)) == OfferResult.FULL &&
                System.nanoTime() - deadlineNs < 0)
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

    private static String path(final MessageChannel channel)
    {
        return channel.region().path().map(Path::toString).orElseThrow();
    }

    private static final class Verifier implements MessageHandler
    {
        private final TestMessages messages = new TestMessages();
        private long received;
        private String fault;

        @Override
        public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            final long seq = messages.decode(buffer, index, length);
            if (fault == null && (msgTypeId != TestMessages.MSG_TYPE_ID || seq != received))
            {
                fault = "echo " + received + " came back as type " + msgTypeId + " seq " + seq;
            }
            received++;
        }
    }
}
