package org.coopvm.rings.channel;

import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.coopvm.rings.doorbell.Doorbell;
import org.coopvm.rings.doorbell.PeerLiveness;
import org.coopvm.rings.doorbell.PeerLivenessDescriptor;
import org.coopvm.rings.doorbell.WaitConfig;

/**
 * What both ends of a {@link MessageChannel} share: the ring buffer view, the doorbell, their
 * own liveness slot and the peer's.
 *
 * <p>Thread safety: see the subclasses; {@link #close()} is idempotent and synchronized.
 */
public abstract sealed class ChannelEndpoint implements AutoCloseable permits ChannelProducer, ChannelConsumer
{
    final RingBuffer ring;
    final Doorbell doorbell;
    final PeerLiveness self;
    final PeerLiveness peer;
    final EpochClock clock;
    final WaitConfig config;
    volatile boolean closed;
    private final int epoch;

    ChannelEndpoint(
        final MessageChannel channel, final int selfOffset, final int peerOffset, final EpochClock clock, final WaitConfig config)
    {
        this.ring = channel.newRingBuffer();
        this.doorbell = new Doorbell().wrap(channel.control(), ChannelDescriptor.DOORBELL_OFFSET);
        this.self = new PeerLiveness().wrap(channel.control(), selfOffset);
        this.peer = new PeerLiveness().wrap(channel.control(), peerOffset);
        this.clock = clock;
        this.config = config;
        if (self.state() != PeerLivenessDescriptor.STATE_ABSENT && !self.isGone(clock.time(), 0))
        {
            throw new IllegalStateException(getClass().getSimpleName() + " end already attached by live pid " + self.pid());
        }
        this.epoch = self.attach(clock.time());
    }

    /** Record that this end is alive: call it from the duty cycle when a heartbeat timeout is used. */
    public void heartbeat()
    {
        self.heartbeat(clock.time());
    }

    /**
     * @return {@code true} when the other end closed, its process died, or (with a heartbeat
     *         timeout configured) its heartbeat is stale. Costs a process lookup: not for hot paths.
     */
    public boolean isPeerGone()
    {
        return peer.isGone(clock.time(), config.heartbeatTimeoutMs());
    }

    /** @return the other end's attach epoch (0 before it ever attached); a change means it restarted. */
    public int peerEpoch()
    {
        return peer.epoch();
    }

    /** @return this end's attach epoch. */
    public int epoch()
    {
        return epoch;
    }

    /** @return the doorbell of the channel (its counters show notification suppression at work). */
    public Doorbell doorbell()
    {
        return doorbell;
    }

    /** Publish CLOSED and wake the doorbell, so a sleeping peer learns at once. Idempotent. */
    @Override
    public synchronized void close()
    {
        if (!closed)
        {
            closed = true;
            self.markClosed();
            doorbell.wake();
        }
    }

    final void ensureOpen()
    {
        if (closed)
        {
            throw new IllegalStateException(getClass().getSimpleName() + " is closed");
        }
    }
}
