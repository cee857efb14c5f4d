package org.coopvm.rings.doorbell;

import org.agrona.concurrent.IdleStrategy;

/**
 * An Agrona {@link IdleStrategy} for an {@code Agent} whose work arrives with a doorbell ring:
 * spins, then yields, then sleeps on the doorbell (after the arming re-check of its
 * {@link WakeCondition}) for at most the liveness check interval per idle call.
 *
 * <p>Peer liveness is the agent's business here: a gone peer shows up as work (or as its own
 * check in {@code doWork()}), not as a result of {@link #idle(int)}.
 *
 * <p>Thread safety: the agent's thread only.
 */
public final class DoorbellIdleStrategy implements IdleStrategy
{
    private final WaitConfig config;
    private final Doorbell doorbell;
    private final WakeCondition condition;
    private int spins;
    private int yields;

    /**
     * @param config    spin and yield counts, and the longest sleep per idle call.
     * @param doorbell  the doorbell producers ring.
     * @param condition the re-check before sleeping: is there work for the agent?
     */
    public DoorbellIdleStrategy(final WaitConfig config, final Doorbell doorbell, final WakeCondition condition)
    {
        this.config = config;
        this.doorbell = doorbell;
        this.condition = condition;
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
        if (spins < config.spinIterations())
        {
            spins++;
            Thread.onSpinWait();
        }
        else if (yields < config.yieldIterations())
        {
            yields++;
            Thread.yield();
        }
        else
        {
            final int key = doorbell.prepareToSleep();
            if (condition.readyAfterArming())
            {
                doorbell.cancelSleep();
            }
            else
            {
                doorbell.sleep(key, config.livenessCheckIntervalNs());
            }
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
        return "doorbell";
    }
}
