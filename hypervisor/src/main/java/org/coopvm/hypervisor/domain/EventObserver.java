package org.coopvm.hypervisor.domain;

/**
 * Told when a port of a domain became pending, so that a vCPU waiting in SCHEDOP_block or
 * SCHEDOP_poll can be answered. Implemented by the hypercall dispatcher.
 *
 * <p>Thread safety: called under the hypervisor lock.
 */
@FunctionalInterface
public interface EventObserver
{
    /**
     * @param domain the domain whose port is now pending.
     * @param vcpu   the vCPU the port notifies.
     * @param port   the port.
     * @param kicked whether the upcall was newly raised (the vCPU was kicked).
     */
    void onEventPending(Domain domain, int vcpu, int port, boolean kicked);
}
