package org.coopvm.rings.hypercall;

/**
 * Xen's errno values (positive; a hypercall result carries the negative).
 *
 * <p>Thread safety: constants only.
 */
public final class Errno
{
    /** Operation not permitted. */
    public static final int EPERM = 1;
    /** No such entry. */
    public static final int ENOENT = 2;
    /** No such domain. */
    public static final int ESRCH = 3;
    /** Interrupted. */
    public static final int EINTR = 4;
    /** I/O error. */
    public static final int EIO = 5;
    /** Argument list too long / over a limit. */
    public static final int E2BIG = 7;
    /** Bad port or handle. */
    public static final int EBADF = 9;
    /** Try again. */
    public static final int EAGAIN = 11;
    /** Out of memory. */
    public static final int ENOMEM = 12;
    /** Access denied. */
    public static final int EACCES = 13;
    /** Bad address. */
    public static final int EFAULT = 14;
    /** Busy. */
    public static final int EBUSY = 16;
    /** Already exists. */
    public static final int EEXIST = 17;
    /** Invalid argument. */
    public static final int EINVAL = 22;
    /** No space left (out of ports, handles). */
    public static final int ENOSPC = 28;
    /** Read-only (a write to a read-only disk). */
    public static final int EROFS = 30;
    /** Unknown hypercall or sub-command. */
    public static final int ENOSYS = 38;
    /** Operation not supported (a block operation the backend does not serve). */
    public static final int EOPNOTSUPP = 95;
    /** Not connected (a split device whose backend is not connected). */
    public static final int ENOTCONN = 107;
    /** Timed out. */
    public static final int ETIMEDOUT = 110;

    private Errno()
    {
    }

    /**
     * @param errno a positive or negative errno.
     * @return its name, e.g. {@code EINVAL}, or {@code E<n>} when unknown.
     */
    public static String name(final int errno)
    {
        return switch (Math.abs(errno))
        {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case ESRCH -> "ESRCH";
            case EINTR -> "EINTR";
            case EIO -> "EIO";
            case E2BIG -> "E2BIG";
            case EBADF -> "EBADF";
            case EAGAIN -> "EAGAIN";
            case ENOMEM -> "ENOMEM";
            case EACCES -> "EACCES";
            case EFAULT -> "EFAULT";
            case EBUSY -> "EBUSY";
            case EEXIST -> "EEXIST";
            case EINVAL -> "EINVAL";
            case ENOSPC -> "ENOSPC";
            case EROFS -> "EROFS";
            case ENOSYS -> "ENOSYS";
            case EOPNOTSUPP -> "EOPNOTSUPP";
            case ENOTCONN -> "ENOTCONN";
            case ETIMEDOUT -> "ETIMEDOUT";
            default -> "E" + Math.abs(errno);
        };
    }
}
