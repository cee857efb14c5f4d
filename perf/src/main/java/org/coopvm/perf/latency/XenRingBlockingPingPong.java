package org.coopvm.perf.latency;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;
import org.coopvm.perf.report.Subject;
import org.coopvm.perf.report.WaitMode;
import org.coopvm.rings.doorbell.Doorbell;
import org.coopvm.rings.doorbell.DoorbellDescriptor;
import org.coopvm.rings.doorbell.PeerLiveness;
import org.coopvm.rings.doorbell.PeerLivenessDescriptor;
import org.coopvm.rings.doorbell.SpinThenSleepWaitStrategy;
import org.coopvm.rings.doorbell.WaitConfig;
import org.coopvm.rings.doorbell.WaitResult;
import org.coopvm.rings.doorbell.WakeCondition;
import org.coopvm.rings.xen.BackRing;
import org.coopvm.rings.xen.FrontRing;

/**
 * Ours, blocking: the Xen ring of {@link XenRingPingPong} with a doorbell per waiting side.
 * A receiver waits with {@link SpinThenSleepWaitStrategy}: it spins briefly (spin-then-sleep
 * mode, default {@link WaitConfig}) or not at all (blocking mode), then
 * {@link Doorbell#prepareToSleep()}, the ring's {@code RING_FINAL_CHECK_FOR_*} (which arms the
 * event index), then sleeps. A sender rings the peer's doorbell
 * ({@link Doorbell#wake()}) only when {@code PUSH_*_AND_CHECK_NOTIFY} says so.
 *
 * <p>Layout after the ring page: the back's doorbell, the front's doorbell, the front's and
 * the back's liveness slots.
 */
public final class XenRingBlockingPingPong extends RegionTransport
{
    static final int BACK_DOORBELL_OFFSET = XenRingPingPong.RING_BYTES;
    static final int FRONT_DOORBELL_OFFSET = BACK_DOORBELL_OFFSET + DoorbellDescriptor.DOORBELL_LENGTH;
    static final int FRONT_LIVENESS_OFFSET = FRONT_DOORBELL_OFFSET + DoorbellDescriptor.DOORBELL_LENGTH;
    static final int BACK_LIVENESS_OFFSET = FRONT_LIVENESS_OFFSET + PeerLivenessDescriptor.SLOT_LENGTH;
    private static final int LENGTH = BACK_LIVENESS_OFFSET + PeerLivenessDescriptor.SLOT_LENGTH;
    private static final EpochClock CLOCK = SystemEpochClock.INSTANCE;

    private final WaitMode waitMode;

    /**
     * @param waitMode {@link WaitMode#BLOCKING} (sleep at once) or {@link WaitMode#SPIN_THEN_SLEEP}.
     */
    public XenRingBlockingPingPong(final WaitMode waitMode)
    {
        this.waitMode = waitMode;
    }

    @Override
    public Subject subject()
    {
        return Subject.XEN_RING;
    }

    @Override
    public WaitMode waitMode()
    {
        return waitMode;
    }

    @Override
    int bufferLength()
    {
        return LENGTH;
    }

    @Override
    void initialise(final AtomicBuffer buffer)
    {
        FrontRing.initialise(buffer, 0, XenRingPingPong.RING_BYTES, XenRingPingPong.SLOT_BYTES);
    }

    @Override
    PingPongEndpoint initiator(final AtomicBuffer buffer)
    {
        final XenRingPingPong.Front front = new XenRingPingPong.Front(
            FrontRing.attach(buffer, 0, XenRingPingPong.RING_BYTES, XenRingPingPong.SLOT_BYTES, 0));
        return new Endpoint(front, WaitConfigs.of(waitMode), buffer, FRONT_DOORBELL_OFFSET, BACK_DOORBELL_OFFSET,
            FRONT_LIVENESS_OFFSET, BACK_LIVENESS_OFFSET);
    }

    @Override
    PingPongEndpoint responder(final AtomicBuffer buffer)
    {
        final XenRingPingPong.Back back = new XenRingPingPong.Back(
            BackRing.attach(buffer, 0, XenRingPingPong.RING_BYTES, XenRingPingPong.SLOT_BYTES));
        return new Endpoint(back, WaitConfigs.of(waitMode), buffer, BACK_DOORBELL_OFFSET, FRONT_DOORBELL_OFFSET,
            BACK_LIVENESS_OFFSET, FRONT_LIVENESS_OFFSET);
    }

    private static final class Endpoint implements PingPongEndpoint, WakeCondition
    {
        private final XenRingPingPong.HalfEndpoint half;
        private final Doorbell peerDoorbell;
        private final SpinThenSleepWaitStrategy waitStrategy;

        Endpoint(
            final XenRingPingPong.HalfEndpoint half,
            final WaitConfig config,
            final AtomicBuffer buffer,
            final int ownDoorbellOffset,
            final int peerDoorbellOffset,
            final int ownLivenessOffset,
            final int peerLivenessOffset)
        {
            this.half = half;
            this.peerDoorbell = new Doorbell().wrap(buffer, peerDoorbellOffset);
            new PeerLiveness().wrap(buffer, ownLivenessOffset).attach(CLOCK.time());
            this.waitStrategy = new SpinThenSleepWaitStrategy(config,
                new Doorbell().wrap(buffer, ownDoorbellOffset), new PeerLiveness().wrap(buffer, peerLivenessOffset), CLOCK);
        }

        @Override
        public void send(final long value)
        {
            if (half.push(value))
            {
                peerDoorbell.wake();
            }
        }

        @Override
        public long receive(final long deadlineNs)
        {
            while (!half.poll())
            {
                final long remainingNs = deadlineNs - System.nanoTime();
                if (remainingNs <= 0 || waitStrategy.await(this, remainingNs) == WaitResult.PEER_GONE)
                {
                    return NO_MESSAGE;
                }
            }
            return half.lastReceived();
        }

        @Override
        public boolean ready()
        {
            return half.hasUnconsumed();
        }

        @Override
        public boolean readyAfterArming()
        {
            return half.finalCheck();
        }
    }
}
