package org.coopvm.rings.channel;

import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.rings.doorbell.WaitConfig;
import org.coopvm.rings.doorbell.WaitResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class MessageChannelTest
{
    private static final long LONG_WAIT_NS = TimeUnit.SECONDS.toNanos(60);

    private final MessageChannel channel = MessageChannel.createAnonymous(ChannelKind.ONE_TO_ONE, 1024, 1);
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[2048]);

    @AfterEach
    void tearDown() throws InterruptedException
    {
        executor.shutdownNow();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        channel.close();
    }

    @Test
    void deliversTheBytesAndTypeOffered()
    {
        final ChannelProducer producer = producer();
        final ChannelConsumer consumer = consumer();
        message.putStringAscii(0, "hypercall");

        assertThat(producer.offer(42, message, 0, 13)).isEqualTo(OfferResult.ACCEPTED);

        final List<String> received = new ArrayList<>();
        assertThat(consumer.poll((type, buffer, index, length) -> received.add(type + ":" + buffer.getStringAscii(index)), 10))
            .isOne();
        assertThat(received).containsExactly("42:hypercall");
        assertThat(consumer.isEmpty()).isTrue();
    }

    @Test
    void fullWhenTheConsumerDoesNotDrainThenAcceptedAgainAfterPoll()
    {
        final ChannelProducer producer = producer();
        final ChannelConsumer consumer = consumer();
        int accepted = 0;
        while (producer.offer(1, message, 0, 100) == OfferResult.ACCEPTED)
        {
            accepted++;
        }
        assertThat(accepted).isEqualTo(1024 / 112);
        assertThat(producer.offer(1, message, 0, 100)).isEqualTo(OfferResult.FULL);

        assertThat(consumer.poll((type, buffer, index, length) -> { }, 100)).isEqualTo(accepted);
        assertThat(producer.offer(1, message, 0, 100)).isEqualTo(OfferResult.ACCEPTED);
    }

    @Test
    void tooLongAndInvalidArgumentsAreRefusedWithoutTouchingTheRing()
    {
        final ChannelProducer producer = producer();
        consumer();
        assertThat(producer.maxMsgLength()).isEqualTo(channel.maxMsgLength()).isEqualTo(1024 / 8);

        assertThat(producer.offer(1, message, 0, producer.maxMsgLength() + 1)).isEqualTo(OfferResult.TOO_LONG);
        assertThat(producer.offer(0, message, 0, 8)).isEqualTo(OfferResult.INVALID_ARGUMENT);
        assertThat(producer.offer(1, message, message.capacity() - 4, 8)).isEqualTo(OfferResult.INVALID_ARGUMENT);
        assertThat(producer.offer(1, message, -1, 8)).isEqualTo(OfferResult.INVALID_ARGUMENT);
        assertThat(producer.offer(1, message, 0, producer.maxMsgLength())).isEqualTo(OfferResult.ACCEPTED);
    }

    @Test
    void zeroCopyClaimCommitAndAbort()
    {
        final ChannelProducer producer = producer();
        final ChannelConsumer consumer = consumer();
        final int aborted = producer.tryClaim(5, 8);
        assertThat(aborted).isNotNegative();
        producer.abort(aborted);
        final int claimed = producer.tryClaim(6, 8);
        assertThat(OfferResult.ofClaim(claimed)).isEqualTo(OfferResult.ACCEPTED);
        producer.buffer().putLong(claimed, 0xC0FFEEL);
        producer.commit(claimed);

        final List<String> received = new ArrayList<>();
        consumer.poll((type, buffer, index, length) -> received.add(type + ":" + Long.toHexString(buffer.getLong(index))), 10);
        assertThat(received).containsExactly("6:c0ffee");

        assertThat(OfferResult.ofClaim(producer.tryClaim(1, producer.maxMsgLength() + 1))).isEqualTo(OfferResult.TOO_LONG);
        assertThat(OfferResult.ofClaim(producer.tryClaim(0, 8))).isEqualTo(OfferResult.INVALID_ARGUMENT);
        while (producer.offer(1, message, 0, 100) == OfferResult.ACCEPTED)
        {
            assertThat(consumer.isEmpty()).isFalse();
        }
        assertThat(OfferResult.ofClaim(producer.tryClaim(1, 100))).isEqualTo(OfferResult.FULL);
        consumer.close();
        assertThat(OfferResult.ofClaim(producer.tryClaim(1, 8))).isEqualTo(OfferResult.PEER_GONE);
    }

    @Test
    void peerGoneOnceTheConsumerClosed()
    {
        final ChannelProducer producer = producer();
        final ChannelConsumer consumer = consumer();
        assertThat(producer.offer(1, message, 0, 8)).isEqualTo(OfferResult.ACCEPTED);

        consumer.close();

        assertThat(producer.offer(1, message, 0, 8)).isEqualTo(OfferResult.PEER_GONE);
        assertThat(producer.isPeerGone()).isTrue();
    }

    @Test
    void aSleepingConsumerWakesForAMessageAndForTheProducerClosing() throws Exception
    {
        final WaitConfig slowLivenessChecks = WaitConfig.DEFAULT.withLivenessCheckIntervalNs(LONG_WAIT_NS);
        final ChannelProducer producer = producer();
        final ChannelConsumer consumer = channel.openConsumer(SystemEpochClock.INSTANCE, slowLivenessChecks);

        Future<WaitResult> waiter = executor.submit(() -> consumer.awaitMessages(LONG_WAIT_NS));
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.doorbell().sleepers() == 1);
        assertThat(producer.offer(1, message, 0, 8)).isEqualTo(OfferResult.ACCEPTED);
        assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo(WaitResult.READY);
        assertThat(consumer.poll((type, buffer, index, length) -> { }, 10)).isOne();

        waiter = executor.submit(() -> consumer.awaitMessages(LONG_WAIT_NS));
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.doorbell().sleepers() == 1);
        producer.close();
        assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo(WaitResult.PEER_GONE);
    }

    @Test
    void producerPaysNoWakeWhileTheConsumerIsAwake()
    {
        final ChannelProducer producer = producer();
        final ChannelConsumer consumer = consumer();
        int received = 0;
        for (int i = 0; i < 1000; i++)
        {
            assertThat(producer.offer(1, message, 0, 16)).isEqualTo(OfferResult.ACCEPTED);
            received += consumer.poll((type, buffer, index, length) -> { }, 10);
        }
        received += consumer.poll((type, buffer, index, length) -> { }, 10);
        assertThat(received).isEqualTo(1000);
        assertThat(producer.doorbell().wakes()).isZero();
    }

    @Test
    void oneLiveConsumerAtATimeAndEachAttachIsANewEpoch()
    {
        final ChannelProducer producer = producer();
        final ChannelConsumer first = consumer();
        assertThatThrownBy(this::consumer).isInstanceOf(IllegalStateException.class).hasMessageContaining("already attached");
        assertThat(producer.peerEpoch()).isEqualTo(first.epoch()).isOne();

        first.close();
        final ChannelConsumer second = consumer();

        assertThat(second.epoch()).isEqualTo(2);
        assertThat(producer.peerEpoch()).isEqualTo(2);
        assertThat(producer.offer(1, message, 0, 8)).isEqualTo(OfferResult.ACCEPTED);
        assertThatThrownBy(() -> first.poll((type, buffer, index, length) -> { }, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aConsumerBlockedOnAnEmptyChannelForTwoSecondsUsesUnderFivePercentOfACpu() throws Exception
    {
        producer();
        final ChannelConsumer consumer = consumer();
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final long blockedNs = TimeUnit.SECONDS.toNanos(2);

        final Future<long[]> idle = executor.submit(() ->
        {
            final long cpuStartNs = threads.getCurrentThreadCpuTime();
            final long wallStartNs = System.nanoTime();
            final WaitResult result = consumer.awaitMessages(blockedNs);
            return new long[] {result.ordinal(), threads.getCurrentThreadCpuTime() - cpuStartNs, System.nanoTime() - wallStartNs};
        });

        final long[] outcome = idle.get(30, TimeUnit.SECONDS);
        assertThat(WaitResult.values()[(int)outcome[0]]).isEqualTo(WaitResult.TIMED_OUT);
        assertThat(outcome[2]).as("wall time blocked").isGreaterThanOrEqualTo(blockedNs);
        assertThat(outcome[1]).as("consumer thread CPU time (ns) over %d ns blocked", outcome[2]).isLessThan(blockedNs / 20);
    }

    private ChannelProducer producer()
    {
        return channel.openProducer(SystemEpochClock.INSTANCE, WaitConfig.DEFAULT);
    }

    private ChannelConsumer consumer()
    {
        return channel.openConsumer(SystemEpochClock.INSTANCE, WaitConfig.DEFAULT);
    }
}
