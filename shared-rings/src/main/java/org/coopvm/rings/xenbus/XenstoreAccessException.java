package org.coopvm.rings.xenbus;

import org.coopvm.rings.xenstore.XsErrno;

import java.io.Serial;

/**
 * xenstored refused a {@link XenstoreAccess} request (the errno it named), or the connection
 * failed ({@link XsErrno#EIO}). A missing node is not an error for reads, directories and
 * removals (they return empty or do nothing); a transaction that kept conflicting ends with
 * {@link XsErrno#EAGAIN}.
 *
 * <p>Thread safety: immutable.
 */
public final class XenstoreAccessException extends RuntimeException
{
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient XsErrno errno;

    /**
     * @param errno   the error.
     * @param message what was asked.
     */
    public XenstoreAccessException(final XsErrno errno, final String message)
    {
        super(errno.name() + ": " + message);
        this.errno = errno;
    }

    /**
     * @param errno   the error.
     * @param message what was asked.
     * @param cause   the adapter's own exception.
     */
    public XenstoreAccessException(final XsErrno errno, final String message, final Throwable cause)
    {
        super(errno.name() + ": " + message, cause);
        this.errno = errno;
    }

    /** @return the error xenstored named. */
    public XsErrno errno()
    {
        return errno;
    }
}
