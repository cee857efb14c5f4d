package org.coopvm.hypervisor.xenstore;

import org.coopvm.rings.xenstore.XsMessageType;

/**
 * Message type to handler, filled by the handler groups. A type without a handler answers
 * ENOSYS.
 *
 * <p>Thread safety: filled once, then read only.
 */
final class RequestTable
{
    private final RequestHandler[] handlers = new RequestHandler[32];

    void register(final XsMessageType type, final RequestHandler handler)
    {
        handlers[type.code()] = handler;
    }

    /** @return the handler, or null for an unknown or unserved type. */
    RequestHandler handler(final int type)
    {
        return type >= 0 && type < handlers.length ? handlers[type] : null;
    }
}
