package org.coopvm.guest.xenstore;

/**
 * How the client sleeps until xenstored may have written responses: in the kernel, the upcall
 * of the xenstore event channel; in tests, whatever the host-side notify signals.
 *
 * <p>Thread safety: called by the thread making a request.
 */
@FunctionalInterface
public interface RingWaiter
{
    /**
     * Sleeps until notified or the timeout passes (spurious returns are fine).
     *
     * @param timeoutNs longest sleep.
     * @throws InterruptedException when interrupted.
     */
    void await(long timeoutNs) throws InterruptedException;
}
