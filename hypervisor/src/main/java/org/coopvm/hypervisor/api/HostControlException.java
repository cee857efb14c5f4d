package org.coopvm.hypervisor.api;

/**
 * A management operation that failed, with an errno-style code the API maps to an HTTP status
 * (see {@link Errno}) and a message for the user that names the problem.
 *
 * <p>Thread safety: immutable.
 */
public final class HostControlException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final Errno errno;

    /**
     * @param errno   what kind of failure.
     * @param message what went wrong, naming the domain or setting at fault.
     */
    public HostControlException(final Errno errno, final String message)
    {
        super(message);
        this.errno = errno;
    }

    /**
     * @param errno   what kind of failure.
     * @param message what went wrong.
     * @param cause   the underlying failure.
     */
    public HostControlException(final Errno errno, final String message, final Throwable cause)
    {
        super(message, cause);
        this.errno = errno;
    }

    /**
     * @return the error code.
     */
    public Errno errno()
    {
        return errno;
    }
}
