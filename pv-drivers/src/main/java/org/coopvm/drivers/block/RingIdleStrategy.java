package org.coopvm.drivers.block;

import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.locks.LockSupport;

/**
 * How a ring agent waits when a duty cycle found nothing: a few spins and yields (a frontend
 * keeping the ring busy usually publishes again within microseconds), then a park that only an
 * unpark ends (the frontend's notification, through dom0's event sink) or the safety-net timeout.
 * {@link #stopParking} makes it stop parking, so stopping the agent never waits for a park, and
 * the agent thread is never interrupted (an interrupt would close the image's
 * {@link java.nio.channels.FileChannel} under every other user).
 *
 * <p>Thread safety: the agent's thread; {@link #stopParking} from any thread.
 */
final class RingIdleStrategy implements IdleStrategy
{
    private static final int SPINS = 100;
    private static final int YIELDS = 10;

    private final long maxParkNs;
    private volatile boolean stopped;
    private int idleCycles;

    /** @param maxParkNs the longest park. */
    RingIdleStrategy(final long maxParkNs)
    {
        this.maxParkNs = maxParkNs;
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            idleCycles = 0;
            return;
        }
        idle();
    }

    @Override
    public void idle()
    {
        if (idleCycles < SPINS)
        {
            idleCycles++;
            Thread.onSpinWait();
        }
        else if (idleCycles < SPINS + YIELDS)
        {
            idleCycles++;
            Thread.yield();
        }
        else if (!stopped)
        {
            LockSupport.parkNanos(maxParkNs);
        }
    }

    @Override
    public void reset()
    {
        idleCycles = 0;
    }

    /**
     * No more parks, and the current one ends now.
     *
     * @param thread the agent's thread, or null before it started.
     */
    void stopParking(final Thread thread)
    {
        stopped = true;
        if (thread != null)
        {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public String alias()
    {
        return "ring";
    }
}
