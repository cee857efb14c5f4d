package org.coopvm.perf.latency;

import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.perf.report.Subject;
import org.coopvm.perf.report.WaitMode;
import org.coopvm.rings.channel.ChannelConsumer;
import org.coopvm.rings.channel.ChannelKind;
import org.coopvm.rings.channel.ChannelProducer;
import org.coopvm.rings.channel.MessageChannel;
import org.coopvm.rings.channel.OfferResult;
import org.coopvm.rings.doorbell.WaitConfig;
import org.coopvm.rings.doorbell.WaitResult;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Ours: a pair of one-to-one message channels, one per direction, each in its own region.
 * Spinning receivers poll; the others poll and otherwise wait with the channel's
 * {@code awaitMessages} (sleeping on the doorbell at once, or after a brief spin in
 * spin-then-sleep mode; the producer's offer wakes only a consumer that announced it sleeps).
 */
public final class ChannelPingPong implements PingPongTransport
{
    private static final int CAPACITY = 64 * 1024;
    private static final int MSG_TYPE_ID = 1;
    private static final EpochClock CLOCK = SystemEpochClock.INSTANCE;

    private final WaitMode waitMode;
    private final WaitConfig config;

    /**
     * @param waitMode whether receivers spin, sleep at once, or spin then sleep.
     */
    public ChannelPingPong(final WaitMode waitMode)
    {
        this.waitMode = waitMode;
        this.config = WaitConfigs.of(waitMode);
    }

    @Override
    public Subject subject()
    {
        return Subject.CHANNEL;
    }

    @Override
    public WaitMode waitMode()
    {
        return waitMode;
    }

    @Override
    public PingPongLink create(final Optional<Path> filePrefix)
    {
        final MessageChannel ping = create(filePrefix, ".ping");
        try
        {
            return new Link(ping, create(filePrefix, ".pong"));
        }
        catch (final RuntimeException ex)
        {
            ping.close();
            throw ex;
        }
    }

    @Override
    public PingPongLink attach(final Path filePrefix)
    {
        final MessageChannel ping = MessageChannel.attachFile(file(filePrefix, ".ping"));
        try
        {
            return new Link(ping, MessageChannel.attachFile(file(filePrefix, ".pong")));
        }
        catch (final RuntimeException ex)
        {
            ping.close();
            throw ex;
        }
    }

    private static MessageChannel create(final Optional<Path> filePrefix, final String suffix)
    {
        return filePrefix
            .map(prefix -> MessageChannel.createFile(file(prefix, suffix), ChannelKind.ONE_TO_ONE, CAPACITY, 0))
            .orElseGet(() -> MessageChannel.createAnonymous(ChannelKind.ONE_TO_ONE, CAPACITY, 0));
    }

    private static Path file(final Path prefix, final String suffix)
    {
        return prefix.resolveSibling(prefix.getFileName() + suffix);
    }

    private final class Link implements PingPongLink
    {
        private final MessageChannel ping;
        private final MessageChannel pong;

        Link(final MessageChannel ping, final MessageChannel pong)
        {
            this.ping = ping;
            this.pong = pong;
        }

        @Override
        public PingPongEndpoint initiator()
        {
            return new Endpoint(ping.openProducer(CLOCK, config), pong.openConsumer(CLOCK, config));
        }

        @Override
        public PingPongEndpoint responder()
        {
            return new Endpoint(pong.openProducer(CLOCK, config), ping.openConsumer(CLOCK, config));
        }

        @Override
        public void close()
        {
            CloseHelper.closeAll(ping, pong);
        }
    }

    private final class Endpoint implements PingPongEndpoint, MessageHandler
    {
        private final ChannelProducer producer;
        private final ChannelConsumer consumer;
        private final UnsafeBuffer message = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64, 64));
        private long received;

        Endpoint(final ChannelProducer producer, final ChannelConsumer consumer)
        {
            this.producer = producer;
            this.consumer = consumer;
        }

        @Override
        public void send(final long value)
        {
            message.putLong(0, value);
            OfferResult result;
            while ((result = producer.offer(MSG_TYPE_ID, message, 0, message.capacity())) == OfferResult.FULL)
            {
                Thread.onSpinWait();
            }
            if (result != OfferResult.ACCEPTED)
            {
                throw new IllegalStateException("channel refused a 64-byte message: " + result);
            }
        }

        @Override
        public long receive(final long deadlineNs)
        {
            int spins = 0;
            while (consumer.poll(this, 1) == 0)
            {
                if (!waitOnce(++spins, deadlineNs))
                {
                    return NO_MESSAGE;
                }
            }
            return received;
        }

        @Override
        public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            received = ((DirectBuffer)buffer).getLong(index);
        }

        private boolean waitOnce(final int spins, final long deadlineNs)
        {
            if (waitMode == WaitMode.SPINNING)
            {
                return SpinDeadline.spin(spins, deadlineNs);
            }
            final long remainingNs = deadlineNs - System.nanoTime();
            return remainingNs > 0 && consumer.awaitMessages(remainingNs) != WaitResult.PEER_GONE;
        }
    }
}
