package org.coopvm.guest.swap;

/**
 * Where the {@code swap} driver stands: waiting for its disk, swapping, or running without swap
 * for a reason the console also gave.
 *
 * <p>Thread safety: immutable.
 */
public enum SwapStatus
{
    /** The domain has no swap device ({@code swap/device} absent). */
    NONE,
    /** Waiting for the disk's backend to connect. */
    WAITING,
    /** Swapping to the disk. */
    ON,
    /** The named disk is not one of the domain's disks, or the name is malformed. */
    NO_DISK,
    /** The disk did not connect in time. */
    NOT_CONNECTED,
    /** The disk is read-only. */
    READ_ONLY,
    /** The disk is smaller than {@link SwapService#MIN_SWAP_KIB}. */
    TOO_SMALL,
    /** No guest memory or grant references for the bounce buffer. */
    NO_BUFFER
}
