package org.coopvm.hypervisor.hypercall;

import org.coopvm.hypervisor.domain.Domain;

/**
 * Told about every answered hypercall: the lead wires it to metrics (hypercalls by op and
 * result, a latency timer) and the trace. Must be cheap: it runs on the dispatcher thread.
 *
 * <p>Thread safety: called on the dispatcher thread (or an API thread answering a deferred
 * call) under the hypervisor lock.
 */
@FunctionalInterface
public interface HypercallListener
{
    /** A listener that does nothing. */
    HypercallListener NONE = (domain, vcpu, op, cmd, result, serviceNs) -> { };

    /**
     * @param domain    the calling domain.
     * @param vcpu      the calling vCPU.
     * @param op        the hypercall number.
     * @param cmd       the sub-command.
     * @param result    what the guest got (negative errno on failure).
     * @param serviceNs time from taking the request to writing the response (0 for deferred calls).
     */
    void onHypercall(Domain domain, int vcpu, int op, int cmd, long result, long serviceNs);
}
