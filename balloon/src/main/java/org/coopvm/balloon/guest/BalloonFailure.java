package org.coopvm.balloon.guest;

/**
 * Why the driver's last step moved no frame (a failure: the driver backs off and retries).
 *
 * <p>Thread safety: immutable.
 */
public enum BalloonFailure
{
    /** No step has failed since the target changed. */
    NONE,
    /** The page allocator could spare no frame without taking the guest into out-of-memory. */
    GUEST_SHORT,
    /** The hypervisor refused a reservation change (an error, or 0 frames released). */
    REFUSED,
    /** The host had no memory to populate with ({@code -ENOMEM}, or 0 frames populated). */
    HOST_SHORT,
    /** Populating would take the domain over its {@code maxmem} ({@code -E2BIG}). */
    ABOVE_MAXMEM
}
