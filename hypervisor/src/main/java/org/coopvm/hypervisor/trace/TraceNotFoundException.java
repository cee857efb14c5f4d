package org.coopvm.hypervisor.trace;

import java.io.Serial;

/**
 * Thrown by {@link TraceReader#open} when there is no trace to read; the message says why and
 * where. Immutable; any thread.
 */
public final class TraceNotFoundException extends RuntimeException
{
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is missing, and where.
     */
    public TraceNotFoundException(final String message)
    {
        super(message);
    }
}
