package org.coopvm.hypervisor.hypercall;

import org.coopvm.hypervisor.domain.Domain;

/**
 * Answers a hypercall a vCPU waits in (SCHEDOP_block, SCHEDOP_poll). Implemented by the dispatcher.
 */
@FunctionalInterface
interface WaitAnswerer
{
    /**
     * @param domain the domain.
     * @param vcpu   the waiting vCPU.
     * @param result the result to send.
     */
    void answerWait(Domain domain, int vcpu, long result);
}
