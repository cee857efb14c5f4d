package org.coopvm.hypervisor.xenstore;

import org.coopvm.rings.xenstore.XsErrno;

import java.io.Serial;

/**
 * A request failed with a XenStore error; the request table turns it into an ERROR reply.
 * Carries no stack trace: it is an answer to a client, not a bug.
 *
 * <p>Thread safety: immutable.
 */
public final class XsException extends RuntimeException
{
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient XsErrno errno;

    /**
     * @param errno the error the client gets.
     */
    public XsException(final XsErrno errno)
    {
        super(errno.name(), null, false, false);
        this.errno = errno;
    }

    /** @return the error the client gets. */
    public XsErrno errno()
    {
        return errno;
    }
}
