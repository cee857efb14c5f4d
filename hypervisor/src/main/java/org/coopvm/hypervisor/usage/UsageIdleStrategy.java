package org.coopvm.hypervisor.usage;

import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The usage publisher's idle strategy: when a duty cycle did nothing, park the thread until the
 * next publish is due (at least 1 ms, at most one period), so an idle publisher wakes once per
 * period and burns no CPU in between. Closing the agent runner interrupts the park.
 *
 * <p>Thread safety: the publisher's runner thread.
 */
public final class UsageIdleStrategy implements IdleStrategy
{
    private static final long MIN_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final UsagePublisher publisher;

    /**
     * @param publisher the agent whose deadline to sleep until.
     */
    public UsageIdleStrategy(final UsagePublisher publisher)
    {
        this.publisher = publisher;
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
        LockSupport.parkNanos(Math.min(publisher.periodNs(), Math.max(MIN_PARK_NS, publisher.nanosUntilDue())));
    }

    @Override
    public void reset()
    {
        // no state: each idle call parks until the deadline
    }

    @Override
    public String alias()
    {
        return "usage-deadline";
    }
}
