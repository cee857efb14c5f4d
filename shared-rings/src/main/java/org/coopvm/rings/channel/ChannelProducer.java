package org.coopvm.rings.channel;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
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
        final OfferResult refusal = refusal(msgTypeId, length);
        if (refusal != null)
        {
            return refusal;
        }
        if (offset < 0 || offset > src.capacity() - length)
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

    /**
     * Zero-copy: claim room for a message, write it into {@link #buffer()} at the returned
     * index, then {@link #commit(int)} (or {@link #abort(int)}) it. Commit or abort promptly:
     * the consumer cannot read past an open claim.
     *
     * @param msgTypeId the message type, 1 or more.
     * @param length    message bytes, at most {@link #maxMsgLength()}.
     * @return the index in {@link #buffer()} where the message's bytes go (0 or more), or a
     *         negative code that {@link OfferResult#ofClaim(int)} turns into FULL, TOO_LONG,
     *         PEER_GONE or INVALID_ARGUMENT.
     */
    public int tryClaim(final int msgTypeId, final int length)
    {
        ensureOpen();
        final OfferResult refusal = refusal(msgTypeId, length);
        if (refusal != null)
        {
            return OfferResult.claimCode(refusal);
        }
        final int index = ring.tryClaim(msgTypeId, length);
        return index >= 0 ? index : OfferResult.claimCode(fullOrPeerGone());
    }

    /**
     * Publish a claimed message and wake the consumer if it sleeps.
     *
     * @param index what {@link #tryClaim(int, int)} returned.
     */
    public void commit(final int index)
    {
        ring.commit(index);
        doorbell.wakeIfSleeping();
    }

    /**
     * Give up a claimed message: the consumer skips it.
     *
     * @param index what {@link #tryClaim(int, int)} returned.
     */
    public void abort(final int index)
    {
        ring.abort(index);
    }

    /** @return the ring's buffer, to write claimed messages into. */
    public AtomicBuffer buffer()
    {
        return ring.buffer();
    }

    /** @return the longest message an offer accepts, in bytes. */
    public int maxMsgLength()
    {
        return maxMsgLength;
    }

    private OfferResult refusal(final int msgTypeId, final int length)
    {
        if (peer.isClosed())
        {
            return OfferResult.PEER_GONE;
        }
        if (length > maxMsgLength)
        {
            return OfferResult.TOO_LONG;
        }
        return msgTypeId < 1 || length < 0 ? OfferResult.INVALID_ARGUMENT : null;
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
