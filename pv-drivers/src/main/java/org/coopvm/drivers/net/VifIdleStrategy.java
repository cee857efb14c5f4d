package org.coopvm.drivers.net;

import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * How a vif's agent waits when a duty cycle found nothing: a few spins and yields, then a park that
 * an unpark ends (the guest's notification through dom0's event sink, or a frame for this vif from
 * the switch), or the time the rate limiter says the next frame may go, or a safety-net timeout.
 * {@link #stopParking} makes it stop parking, so stopping the agent never waits for a park.
 *
 * <p>Thread safety: the agent's thread; {@link #stopParking} from any thread.
 */
final class VifIdleStrategy implements IdleStrategy
{
    private static final int SPINS = 100;
    private static final int YIELDS = 10;

    private final long maxParkNs;
    private final LongSupplier wantedParkNs;
    private volatile boolean stopped;
    private int idleCycles;

    /**
     * @param maxParkNs    the longest park.
     * @param wantedParkNs the agent's own limit (the rate limiter's wait), 0 for none.
     */
    VifIdleStrategy(final long maxParkNs, final LongSupplier wantedParkNs)
    {
        this.maxParkNs = maxParkNs;
        this.wantedParkNs = wantedParkNs;
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
        final long wanted = wantedParkNs.getAsLong();
        if (idleCycles < SPINS && wanted == 0)
        {
            idleCycles++;
            Thread.onSpinWait();
        }
        else if (idleCycles < SPINS + YIELDS && wanted == 0)
        {
            idleCycles++;
            Thread.yield();
        }
        else if (!stopped)
        {
            LockSupport.parkNanos(wanted == 0 ? maxParkNs : Math.min(wanted, maxParkNs));
        }
    }

    @Override
    public void reset()
    {
        idleCycles = 0;
    }

    /** @param thread the agent's thread, or null: no more parks, and the current one ends now. */
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
        return "vif";
    }
}
