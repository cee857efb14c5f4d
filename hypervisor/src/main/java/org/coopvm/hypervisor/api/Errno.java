package org.coopvm.hypervisor.api;

/**
 * Error codes of the management API, errno-style as Xen's toolstack reports them, each with the
 * HTTP status it travels under. The JSON error body is {@code {"error": "<name>", "message": "..."}}.
 */
public enum Errno
{
    /** No such domain (or other named thing). */
    ENOENT(404),
    /** The name is taken. */
    EEXIST(409),
    /** A bad argument: bad config, bad JSON, an operation that makes no sense in the domain's state. */
    EINVAL(400),
    /** The memory pool cannot cover the request. */
    ENOMEM(507),
    /** Busy: the domain (or host) is in the middle of something else. */
    EBUSY(409),
    /** Missing or wrong API token. */
    EACCES(401),
    /** The request body is larger than the API accepts. */
    E2BIG(413),
    /** No such API route or method, or an operation this host does not offer. */
    ENOSYS(404),
    /** Try again later: e.g. a domain's console input queue is full. */
    EAGAIN(503),
    /** The host failed unexpectedly; the message says how. */
    EIO(500);

    private final int httpStatus;

    Errno(final int httpStatus)
    {
        this.httpStatus = httpStatus;
    }

    /**
     * @return the HTTP status the API answers with for this error.
     */
    public int httpStatus()
    {
        return httpStatus;
    }

    /**
     * @param name an error name from a JSON error body.
     * @return the code, or {@link #EIO} for a name this client does not know.
     */
    public static Errno fromName(final String name)
    {
        for (final Errno errno : values())
        {
            if (errno.name().equals(name))
            {
                return errno;
            }
        }
        return EIO;
    }
}
