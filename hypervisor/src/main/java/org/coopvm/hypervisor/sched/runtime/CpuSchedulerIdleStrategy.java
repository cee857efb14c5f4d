package org.coopvm.hypervisor.sched.runtime;

import org.agrona.concurrent.IdleStrategy;
import org.coopvm.rings.doorbell.Doorbell;

/**
 * Idle strategy of the {@link CpuScheduler}: after a duty cycle with no work it sleeps on the
 * scheduler doorbell until the next thing due (tick, slot decision, deadline, end of a
 * suspension), or without a timeout when nothing is due, after the doorbell's arming re-check
 * ({@link CpuScheduler#sleepNs()}: did a guest change its slot words meanwhile?), so no request
 * or release is missed. It does not spin: the next deadline is known, and a guest's ring ends the
 * sleep at once.
 *
 * <p>Thread safety: the agent's thread only.
 */
public final class CpuSchedulerIdleStrategy implements IdleStrategy
{
    private final CpuScheduler scheduler;
    private final Doorbell doorbell;

    /**
     * @param scheduler the agent, asked for its next deadline.
     * @param doorbell  the scheduler doorbell.
     */
    public CpuSchedulerIdleStrategy(final CpuScheduler scheduler, final Doorbell doorbell)
    {
        this.scheduler = scheduler;
        this.doorbell = doorbell;
    }

    /** {@inheritDoc} */
    @Override
    public void idle(final int workCount)
    {
        if (workCount == 0)
        {
            idle();
        }
    }

    /** {@inheritDoc} */
    @Override
    public void idle()
    {
        final int key = doorbell.prepareToSleep();
        final long sleepNs = scheduler.sleepNs();
        if (sleepNs == 0)
        {
            doorbell.cancelSleep();
        }
        else
        {
            doorbell.sleep(key, sleepNs);
        }
    }

    /** {@inheritDoc} */
    @Override
    public void reset()
    {
    }

    /** {@inheritDoc} */
    @Override
    public String alias()
    {
        return "cpu-scheduler-doorbell";
    }
}
