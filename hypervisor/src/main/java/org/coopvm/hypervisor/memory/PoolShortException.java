package org.coopvm.hypervisor.memory;

/**
 * The host's memory pool cannot give a new domain its initial memory.
 *
 * <p>Thread safety: immutable.
 */
public final class PoolShortException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    /** @param message what was asked and what is free. */
    public PoolShortException(final String message)
    {
        super(message);
    }
}
