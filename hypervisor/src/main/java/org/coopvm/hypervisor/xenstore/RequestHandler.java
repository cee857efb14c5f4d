package org.coopvm.hypervisor.xenstore;

/**
 * Serves one message type.
 *
 * <p>Thread safety: called under {@link Xenstored}'s lock.
 */
@FunctionalInterface
interface RequestHandler
{
    /**
     * @param request the request.
     * @return the reply payload.
     * @throws XsException for an error reply.
     */
    byte[] handle(Request request);
}
