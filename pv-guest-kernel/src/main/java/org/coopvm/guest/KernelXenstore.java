package org.coopvm.guest;

import org.agrona.concurrent.AtomicBuffer;
import org.coopvm.guest.task.Vcpu;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.xenstore.RingWaiter;
import org.coopvm.guest.xenstore.XenstoreClient;
import org.coopvm.rings.domain.EventChannelBits;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Connects the kernel's {@link XenstoreClient} to the domain's xenstore ring page and the port
 * the host bound to xenstored (start info {@code XENSTORE_PORT_OFFSET}), as Linux's xenbus does
 * with {@code store_mfn} and {@code store_evtchn}.
 *
 * <p>The port's upcall (on vCPU 0) wakes a waiting requester and reads watch events. A request
 * made on a vCPU cannot wait for that upcall (its vCPU may be the one to run it), so it clears
 * the pending bit and sleeps in {@code SCHEDOP_poll} in slices of {@link #SLICE_MS}, re-checking
 * the ring after each; a request from any other thread sleeps on the upcall's semaphore, in the
 * same slices.
 *
 * <p>Thread safety: {@link #connect} once, at boot.
 */
final class KernelXenstore
{
    /** Longest sleep before a waiting request re-checks the ring. */
    static final long SLICE_MS = 10;
    /** How long one request may take before it fails with EIO. */
    static final long REQUEST_TIMEOUT_MS = 10_000;

    private KernelXenstore()
    {
    }

    /**
     * @param ctx  the kernel's services.
     * @param bits the event channel bits of the domain's shared info.
     * @param page the mapped xenstore interface page.
     * @param port the guest's xenstore port.
     * @return the connected client.
     */
    static XenstoreClient connect(final GuestContext ctx, final EventChannelBits bits, final AtomicBuffer page, final int port)
    {
        final Semaphore signalled = new Semaphore(0);
        final int[] ports = {port};
        final long sliceNs = TimeUnit.MILLISECONDS.toNanos(SLICE_MS);
        final RingWaiter waiter = timeoutNs ->
        {
            final long waitNs = Math.min(timeoutNs, sliceNs);
            if (Vcpu.current() != null)
            {
                bits.clearPending(port);
                ctx.hypercalls().schedPoll(ports, System.nanoTime() + waitNs);
            }
            else
            {
                signalled.tryAcquire(waitNs, TimeUnit.NANOSECONDS);
            }
        };
        final XenstoreClient client = new XenstoreClient(page, () -> ctx.hypercalls().evtchnNotify(port), waiter,
            TimeUnit.MILLISECONDS.toNanos(REQUEST_TIMEOUT_MS));
        ctx.events().register(port, p ->
        {
            signalled.release();
            client.pollEvents();
        });
        return client;
    }
}
