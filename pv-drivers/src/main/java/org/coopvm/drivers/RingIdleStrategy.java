package org.coopvm.drivers;

import org.agrona.concurrent.IdleStrategy;
import org.coopvm.rings.doorbell.AdaptivePollWindow;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * How a ring agent waits when a duty cycle found nothing: it keeps polling for up to
 * {@link #POLL_NS} (a frontend keeping the ring busy publishes again within microseconds, and
 * a poll is far cheaper for both sides than the notification hypercall the guest would otherwise
 * make), adapted as KVM adapts {@code halt_poll_ns} ({@link AdaptivePollWindow}: no poll after an
 * idle spell longer than that, so an agent woken every hundred microseconds, say for a stream's
 * acknowledgements, does not spin 50 us on a CPU the stream needs each time), then parks until an unpark (the frontend's notification, through dom0's event sink) or the
 * safety-net timeout. An agent that must ask for notifications before it sleeps (Xen's final check)
 * arms the park itself: it parks only after a duty cycle in which {@link #parksNext()} said true, so
 * the polling time running out between the agent's check and the park cannot skip the final check. {@link #stopParking} makes it stop parking, so stopping the agent never
 * waits for a park, and the agent thread is never interrupted (an interrupt would close the
 * image's {@link java.nio.channels.FileChannel} under every other user). An agent that knows when
 * its next work is due (a vif's rate limiter) parks until then instead of polling.
 *
 * <p>Thread safety: the agent's thread; {@link #stopParking} from any thread.
 */
public final class RingIdleStrategy implements IdleStrategy
{
    /** The longest an idle agent polls before it asks to be notified and parks, in nanoseconds. */
    public static final long POLL_NS = 50_000;

    private final long maxParkNs;
    private final boolean agentArms;
    private final LongSupplier wantedParkNs;
    private final AdaptivePollWindow pollWindow = new AdaptivePollWindow(POLL_NS);
    private volatile boolean stopped;
    private long idleSinceNs;
    private boolean idling;
    private boolean armed;

    /**
     * @param maxParkNs the longest park.
     * @param agentArms whether the agent arms the park through {@link #parksNext()} (after its final
     *                  check); otherwise it parks once the polling time is up.
     */
    public RingIdleStrategy(final long maxParkNs, final boolean agentArms)
    {
        this(maxParkNs, agentArms, () -> 0);
    }

    /**
     * @param maxParkNs    the longest park.
     * @param agentArms    as above.
     * @param wantedParkNs when above 0, how long until the agent's next work is due: it parks that
     *                     long (at most {@code maxParkNs}) at once, without polling or arming.
     */
    public RingIdleStrategy(final long maxParkNs, final boolean agentArms, final LongSupplier wantedParkNs)
    {
        this.maxParkNs = maxParkNs;
        this.agentArms = agentArms;
        this.wantedParkNs = wantedParkNs;
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            reset();
            return;
        }
        idle();
    }

    @Override
    public void idle()
    {
        final long wanted = wantedParkNs.getAsLong();
        if (wanted > 0)
        {
            if (!stopped)
            {
                LockSupport.parkNanos(Math.min(wanted, maxParkNs));
            }
            return;
        }
        if (!idling)
        {
            idling = true;
            idleSinceNs = System.nanoTime();
        }
        if (!(agentArms ? armed : parksNext()))
        {
            Thread.onSpinWait();
        }
        else if (!stopped)
        {
            LockSupport.parkNanos(maxParkNs);
        }
    }

    /**
     * @return whether the next idle cycle parks (the polling time is used up): the agent makes
     *         Xen's final check (asking to be notified) only then, so a frontend that keeps the ring
     *         busy while the agent still polls needs no notification.
     */
    public boolean parksNext()
    {
        armed |= idling && System.nanoTime() - idleSinceNs >= pollWindow.windowNs();
        return armed;
    }

    @Override
    public void reset()
    {
        if (idling)
        {
            pollWindow.woke(System.nanoTime() - idleSinceNs);
        }
        idling = false;
        armed = false;
    }

    /** @return how long the next idle spell polls before it parks, in nanoseconds. */
    public long pollWindowNs()
    {
        return pollWindow.windowNs();
    }

    /**
     * No more parks, and the current one ends now.
     *
     * @param thread the agent's thread, or null before it started.
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
    public String alias()
    {
        return "ring";
    }
}
