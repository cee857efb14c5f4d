package org.coopvm.rings.xenstore;

/**
 * The errors an {@link XsMessageType#ERROR} reply names, in Xen's {@code xsd_errors} order, with
 * their Linux errno values.
 *
 * <p>Thread safety: immutable.
 */
public enum XsErrno
{
    /** Invalid argument (bad path, bad payload). */
    EINVAL(22),
    /** Permission denied. */
    EACCES(13),
    /** Already exists. */
    EEXIST(17),
    /** Is a directory. */
    EISDIR(21),
    /** No such node or transaction. */
    ENOENT(2),
    /** Out of memory. */
    ENOMEM(12),
    /** Quota exceeded. */
    ENOSPC(28),
    /** I/O error. */
    EIO(5),
    /** Directory not empty. */
    ENOTEMPTY(39),
    /** Unknown message type. */
    ENOSYS(38),
    /** Read-only. */
    EROFS(30),
    /** Busy. */
    EBUSY(16),
    /** A transaction conflicted: retry it. */
    EAGAIN(11),
    /** Already connected. */
    EISCONN(106),
    /** Too big (payload, node, path, too many transactions). */
    E2BIG(7),
    /** Operation not permitted. */
    EPERM(1);

    private final int errno;

    XsErrno(final int errno)
    {
        this.errno = errno;
    }

    /** @return the positive Linux errno value. */
    public int errno()
    {
        return errno;
    }

    /**
     * @param name an error name from an ERROR reply (untrusted).
     * @return the error, or {@link #EIO} for a name Xen does not define.
     */
    public static XsErrno fromName(final String name)
    {
        for (final XsErrno value : values())
        {
            if (value.name().equals(name))
            {
                return value;
            }
        }
        return EIO;
    }
}
