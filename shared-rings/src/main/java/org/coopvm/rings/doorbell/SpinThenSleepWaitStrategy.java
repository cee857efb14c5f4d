package org.coopvm.rings.doorbell;

import org.agrona.concurrent.EpochClock;

/**
 * Waits for a {@link WakeCondition}: spins briefly, yields a few times, then sleeps on a
 * {@link Doorbell} in slices no longer than the liveness check interval, looking at the peer's
 * {@link PeerLiveness} and the deadline between slices. An idle waiter costs one futex
 * return per interval (about nothing); a closing peer wakes it at once.
 *
 * <p>Before each sleep it runs the doorbell protocol: {@link Doorbell#prepareToSleep()}, then
 * {@link WakeCondition#readyAfterArming()}, then {@link Doorbell#sleep}. Work that is present
 * wins over a gone peer, so a consumer drains what a dead producer left.
 *
 * <p>Thread safety: one waiting thread per instance (it keeps no state between calls, but the
 * flyweights it holds must not be re-wrapped while it waits).
 */
public final class SpinThenSleepWaitStrategy implements WaitStrategy
{
    private final WaitConfig config;
    private final Doorbell doorbell;
    private final PeerLiveness peer;
    private final EpochClock clock;

    /**
     * @param config   spin, yield and liveness tuning.
     * @param doorbell the doorbell the peer rings when the condition may have changed.
     * @param peer     the peer's liveness slot.
     * @param clock    the clock the peer heartbeats with (epoch milliseconds).
     */
    public SpinThenSleepWaitStrategy(
        final WaitConfig config, final Doorbell doorbell, final PeerLiveness peer, final EpochClock clock)
    {
        this.config = config;
        this.doorbell = doorbell;
        this.peer = peer;
        this.clock = clock;
    }

    /** {@inheritDoc} */
    @Override
    public WaitResult await(final WakeCondition condition, final long timeoutNs)
    {
        if (spinThenYield(condition))
        {
            return WaitResult.READY;
        }
        final long startNs = System.nanoTime();
        long lastLivenessCheckNs = startNs;
        while (true)
        {
            final long nowNs = System.nanoTime();
            if (peer.isClosed())
            {
                return WaitResult.PEER_GONE;
            }
            if (nowNs - lastLivenessCheckNs >= config.livenessCheckIntervalNs())
            {
                lastLivenessCheckNs = nowNs;
                if (peer.isGone(clock.time(), config.heartbeatTimeoutMs()))
                {
                    return WaitResult.PEER_GONE;
                }
            }
            final long remainingNs = remainingNs(startNs, timeoutNs, nowNs);
            if (remainingNs <= 0)
            {
                return WaitResult.TIMED_OUT;
            }
            if (sleepOnce(condition, Math.min(remainingNs, config.livenessCheckIntervalNs())) || condition.ready())
            {
                return WaitResult.READY;
            }
        }
    }

    /** @return the configuration. */
    public WaitConfig config()
    {
        return config;
    }

    private boolean spinThenYield(final WakeCondition condition)
    {
        if (condition.ready())
        {
            return true;
        }
        for (int i = 0, n = config.spinIterations(); i < n; i++)
        {
            Thread.onSpinWait();
            if (condition.ready())
            {
                return true;
            }
        }
        for (int i = 0, n = config.yieldIterations(); i < n; i++)
        {
            Thread.yield();
            if (condition.ready())
            {
                return true;
            }
        }
        return false;
    }

    /** @return {@code true} when the re-check after arming found work (no sleep happened). */
    private boolean sleepOnce(final WakeCondition condition, final long sleepNs)
    {
        final int key = doorbell.prepareToSleep();
        if (condition.readyAfterArming())
        {
            doorbell.cancelSleep();
            return true;
        }
        doorbell.sleep(key, sleepNs);
        return false;
    }

    private static long remainingNs(final long startNs, final long timeoutNs, final long nowNs)
    {
        if (timeoutNs == Long.MAX_VALUE)
        {
            return Long.MAX_VALUE;
        }
        return timeoutNs - (nowNs - startNs);
    }
}
