package org.coopvm.hypervisor.hypercall;

import org.agrona.concurrent.IdleStrategy;
import org.coopvm.rings.doorbell.Doorbell;

/**
 * Idle strategy of the {@link HypercallDispatcher}: spins, yields, then sleeps on the host
 * doorbell (which guests ring after offering a hypercall) until the next timer or heartbeat is
 * due, after the doorbell's arming re-check ({@link HypercallDispatcher#hasWork()}), so no
 * hypercall offered meanwhile is missed and an idle host burns no CPU.
 *
 * <p>Thread safety: the agent's thread only.
 */
public final class HostDoorbellIdleStrategy implements IdleStrategy
{
    private final HypercallDispatcher dispatcher;
    private final Doorbell doorbell;
    private final int maxSpins;
    private final int maxYields;
    private final long maxSleepNs;
    private int spins;
    private int yields;

    /**
     * @param dispatcher the agent, asked for work and deadlines.
     * @param doorbell   the host doorbell.
     * @param maxSpins   busy polls before yielding.
     * @param maxYields  yields before sleeping.
     * @param maxSleepNs longest single sleep.
     */
    public HostDoorbellIdleStrategy(final HypercallDispatcher dispatcher, final Doorbell doorbell, final int maxSpins,
        final int maxYields, final long maxSleepNs)
    {
        this.dispatcher = dispatcher;
        this.doorbell = doorbell;
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.maxSleepNs = maxSleepNs;
    }

    /** {@inheritDoc} */
    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            reset();
        }
        else
        {
            idle();
        }
    }

    /** {@inheritDoc} */
    @Override
    public void idle()
    {
        if (spins < maxSpins)
        {
            spins++;
            Thread.onSpinWait();
        }
        else if (yields < maxYields)
        {
            yields++;
            Thread.yield();
        }
        else
        {
            sleep();
        }
    }

    /** {@inheritDoc} */
    @Override
    public void reset()
    {
        spins = 0;
        yields = 0;
    }

    /** {@inheritDoc} */
    @Override
    public String alias()
    {
        return "host-doorbell";
    }

    private void sleep()
    {
        final int key = doorbell.prepareToSleep();
        final long sleepNs = Math.min(maxSleepNs, dispatcher.nanosToNextDeadline());
        if (sleepNs <= 0 || dispatcher.hasWork())
        {
            doorbell.cancelSleep();
        }
        else
        {
            doorbell.sleep(key, sleepNs);
        }
    }
}
