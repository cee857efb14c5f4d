package org.coopvm.balloon.host;

import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Parks an agent's thread, when a duty cycle did nothing, until its next deadline (at least
 * 1 ms, at most a cap), so an idle balloon agent wakes rarely and burns no CPU in between.
 * {@link LockSupport#unpark} on the thread (a watch event, a new policy) ends the park early;
 * {@link #stopParking} makes it stop parking at all, so that closing the runner does not wait for
 * a park to run out.
 *
 * <p>Thread safety: the agent's runner thread; {@link #stopParking} from any thread.
 */
public final class DeadlineIdleStrategy implements IdleStrategy
{
    private static final long MIN_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final LongSupplier nanosUntilDue;
    private final long maxParkNs;
    private final String alias;
    private volatile boolean stopped;

    /**
     * @param nanosUntilDue how long until the agent has work (0 when due).
     * @param maxParkNs     the longest park.
     * @param alias         the strategy's name.
     */
    public DeadlineIdleStrategy(final LongSupplier nanosUntilDue, final long maxParkNs, final String alias)
    {
        this.nanosUntilDue = nanosUntilDue;
        this.maxParkNs = maxParkNs;
        this.alias = alias;
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount <= 0)
        {
            idle();
        }
    }

    @Override
    public void idle()
    {
        if (!stopped)
        {
            LockSupport.parkNanos(Math.min(maxParkNs, Math.max(MIN_PARK_NS, nanosUntilDue.getAsLong())));
        }
    }

    /**
     * Before closing the agent's runner: no more parks, and the current one ends now.
     *
     * @param thread the runner's thread, or null when it has not started.
     */
    public void stopParking(final Thread thread)
    {
        stopped = true;
        if (thread != null)
        {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public void reset()
    {
        // no state: each idle call parks until the deadline
    }

    @Override
    public String alias()
    {
        return alias;
    }
}
