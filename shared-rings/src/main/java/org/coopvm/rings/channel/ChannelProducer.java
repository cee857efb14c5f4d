package org.coopvm.rings.channel;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochClock;
import org.coopvm.rings.doorbell.WaitConfig;

/**
 * The producer end of a {@link MessageChannel}: offers messages and rings the doorbell only
 * when the consumer announced it sleeps.
 *
 * <p>Thread safety: on a {@link ChannelKind#MANY_TO_ONE} channel any number of threads may
 * offer at once; on {@link ChannelKind#ONE_TO_ONE} one thread only.
 */
public final class ChannelProducer extends ChannelEndpoint
{
    private final int maxMsgLength;
    /** Written racily by offering threads: at worst one extra liveness check. */
    private long lastPeerCheckNs;

    ChannelProducer(final MessageChannel channel, final EpochClock clock, final WaitConfig config)
    {
        super(channel, ChannelDescriptor.PRODUCER_LIVENESS_OFFSET, ChannelDescriptor.CONSUMER_LIVENESS_OFFSET, clock, config);
        this.maxMsgLength = ring.maxMsgLength();
        this.lastPeerCheckNs = System.nanoTime() - config.livenessCheckIntervalNs();
    }

    /**
     * Offer one message. A closed consumer is seen at once (one acquire load per offer); a dead
     * consumer process is seen while the ring is FULL, at most once per liveness check interval.
     *
     * @param msgTypeId the message type, 1 or more.
     * @param src       the bytes.
     * @param offset    where the message starts in {@code src}.
     * @param length    message bytes, at most {@link #maxMsgLength()}.
     * @return ACCEPTED, FULL, TOO_LONG, PEER_GONE or INVALID_ARGUMENT.
     */
    public OfferResult offer(final int msgTypeId, final DirectBuffer src, final int offset, final int length)
    {
        ensureOpen();
        if (peer.isClosed())
        {
            return OfferResult.PEER_GONE;
        }
        if (length > maxMsgLength)
        {
            return OfferResult.TOO_LONG;
        }
        if (msgTypeId < 1 || length < 0 || offset < 0 || offset > src.capacity() - length)
        {
            return OfferResult.INVALID_ARGUMENT;
        }
        if (ring.write(msgTypeId, src, offset, length))
        {
            doorbell.wakeIfSleeping();
            return OfferResult.ACCEPTED;
        }
        return fullOrPeerGone();
    }

    /** @return the longest message an offer accepts, in bytes. */
    public int maxMsgLength()
    {
        return maxMsgLength;
    }

    private OfferResult fullOrPeerGone()
    {
        final long nowNs = System.nanoTime();
        if (nowNs - lastPeerCheckNs >= config.livenessCheckIntervalNs())
        {
            lastPeerCheckNs = nowNs;
            if (isPeerGone())
            {
                return OfferResult.PEER_GONE;
            }
        }
        return OfferResult.FULL;
    }
}
