package org.coopvm.hypervisor.hypercall;

import org.coopvm.hypervisor.domain.Domain;

/**
 * What hypercall handlers may ask of the hypervisor beyond the channel and grant services.
 * Implemented by {@code Hypervisor}.
 *
 * <p>Thread safety: called under the hypervisor lock.
 */
public interface DomainControl
{
    /**
     * Shut a domain down (first reason wins).
     *
     * @param domain the domain.
     * @param code   Xen SHUTDOWN_* code.
     * @param detail why.
     */
    void shutdown(Domain domain, int code, String detail);
}
