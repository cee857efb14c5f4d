package org.coopvm.guest.event;

import org.coopvm.rings.domain.EventChannelBits;
import org.coopvm.rings.domain.SharedInfoDescriptor;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The guest's event upcall dispatcher: handlers registered per port, called by
 * {@link #dispatch(int)} on the vCPU whose upcall is pending, through Xen's 2-level
 * {@link EventChannelBits#dispatch} (clear upcall_pending, take the selector, clear each pending
 * unmasked bit, hand the port over). An event on a port with no handler is counted and dropped.
 * A handler that throws is counted and reported to the failure handler; the dispatch goes on with
 * the next pending port and the vCPU thread lives on (the kernel decides what a failure means: a
 * gone host stops it).
 *
 * <p>Thread safety: {@link #register}/{@link #unregister} from any thread; {@link #dispatch(int)}
 * on vCPU {@code vcpu}'s thread only. A handler runs on the vCPU thread the port is bound to.
 */
public final class EventHandlers
{
    private final EventChannelBits bits;
    private final AtomicReferenceArray<EventHandler> handlers = new AtomicReferenceArray<>(SharedInfoDescriptor.NR_EVENT_CHANNELS);
    private final EventChannelBits.PortHandler onPort = this::onPort;
    private final LongAdder delivered = new LongAdder();
    private final LongAdder unhandled = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final FailureHandler onFailure;

    /** Told, on the vCPU thread, when a handler throws. */
    @FunctionalInterface
    public interface FailureHandler
    {
        /**
         * @param port    the port whose handler threw.
         * @param failure what it threw.
         */
        void onHandlerFailure(int port, RuntimeException failure);
    }

    /**
     * @param bits      the event channel bits over this domain's shared info.
     * @param onFailure told when a handler throws.
     */
    public EventHandlers(final EventChannelBits bits, final FailureHandler onFailure)
    {
        this.bits = bits;
        this.onFailure = onFailure;
    }

    /**
     * Call {@code handler} for every event on {@code port} (replaces a previous handler).
     *
     * @param port    a local port, 1..4095.
     * @param handler the handler.
     */
    public void register(final int port, final EventHandler handler)
    {
        handlers.set(checkPort(port), handler);
    }

    /**
     * @param port a local port.
     */
    public void unregister(final int port)
    {
        handlers.set(checkPort(port), null);
    }

    /**
     * @param vcpu the vCPU id.
     * @return whether vCPU {@code vcpu} has an upcall pending (a volatile read of shared info).
     */
    public boolean isUpcallPending(final int vcpu)
    {
        return bits.isUpcallPending(vcpu);
    }

    /**
     * Dispatch the pending events of vCPU {@code vcpu} to their handlers.
     *
     * @param vcpu the calling vCPU.
     * @return ports dispatched.
     */
    public int dispatch(final int vcpu)
    {
        return bits.dispatch(vcpu, onPort);
    }

    /** @return events handed to a handler. */
    public long delivered()
    {
        return delivered.sum();
    }

    /** @return events that arrived on a port with no handler. */
    public long unhandled()
    {
        return unhandled.sum();
    }

    /** @return handler calls that threw. */
    public long failed()
    {
        return failed.sum();
    }

    /** @return the event channel bits (mask, pending tests). */
    public EventChannelBits bits()
    {
        return bits;
    }

    private void onPort(final int port)
    {
        final EventHandler handler = handlers.get(port);
        if (handler == null)
        {
            unhandled.increment();
            return;
        }
        delivered.increment();
        try
        {
            handler.onEvent(port);
        }
        catch (final RuntimeException ex)
        {
            failed.increment();
            onFailure.onHandlerFailure(port, ex);
        }
    }

    private static int checkPort(final int port)
    {
        if (port <= 0 || port >= SharedInfoDescriptor.NR_EVENT_CHANNELS)
        {
            throw new IllegalArgumentException("port " + port + " outside 1.." + (SharedInfoDescriptor.NR_EVENT_CHANNELS - 1));
        }
        return port;
    }
}
