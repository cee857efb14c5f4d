package org.coopvm.rings.region;

/**
 * Creating or attaching a region failed; {@link #reason()} says why, the message says where.
 */
public final class RegionException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** Why a region could not be created or attached. */
    public enum Reason
    {
        /** No file at the path. */
        MISSING,
        /** A file exists where a new region was to be created. */
        ALREADY_EXISTS,
        /** The file is shorter than its header, or than the size its header claims. */
        TRUNCATED,
        /** The file does not start with CoopVM's magic: not a CoopVM region, or not initialised yet. */
        FOREIGN,
        /** The header's ABI version is not the one this build speaks. */
        WRONG_VERSION,
        /** The region holds another kind of structure than the one asked for. */
        WRONG_TYPE,
        /** The sizes asked for are not valid. */
        INVALID_SIZE,
        /** The operating system refused an operation (open, map, permissions). */
        IO
    }

    private final Reason reason;

    /**
     * @param reason  why it failed.
     * @param message what failed, naming the file and the values seen.
     * @param cause   the underlying exception, or {@code null}.
     */
    public RegionException(final Reason reason, final String message, final Throwable cause)
    {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    /**
     * @param reason  why it failed.
     * @param message what failed, naming the file and the values seen.
     */
    public RegionException(final Reason reason, final String message)
    {
        this(reason, message, null);
    }

    /** @return why the region could not be created or attached. */
    public Reason reason()
    {
        return reason;
    }
}
