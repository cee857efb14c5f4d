package org.coopvm.hypervisor.hypercall;

/**
 * Serves one hypercall (or one sub-command of it): reads the validated context, returns the
 * result (0 or more, or minus an errno), writes outputs through the context.
 *
 * <p>Thread safety: the dispatcher thread, under the hypervisor lock.
 */
@FunctionalInterface
public interface OpHandler
{
    /**
     * @param ctx the call.
     * @return the result for the guest.
     */
    long handle(HypercallContext ctx);
}
