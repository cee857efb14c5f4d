package org.coopvm.guest.xenstore;

import org.coopvm.rings.xenstore.XsErrno;

import java.io.Serial;

/**
 * xenstored answered a request with an error (or did not answer in time: {@link XsErrno#EIO}).
 *
 * <p>Thread safety: immutable.
 */
public final class XenstoreException extends RuntimeException
{
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient XsErrno errno;

    /**
     * @param errno   the error.
     * @param message what was asked.
     */
    public XenstoreException(final XsErrno errno, final String message)
    {
        super(errno.name() + ": " + message);
        this.errno = errno;
    }

    /** @return the error xenstored named. */
    public XsErrno errno()
    {
        return errno;
    }
}
