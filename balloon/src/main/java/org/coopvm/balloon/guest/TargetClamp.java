package org.coopvm.balloon.guest;

/**
 * Whether the driver follows the requested target as written or a clamped one.
 *
 * <p>Thread safety: immutable.
 */
public enum TargetClamp
{
    /** The target is followed as written (rounded down to whole 4 KiB frames, as Linux does). */
    NONE,
    /** The target was below the floor (the host's minimum or the guest's declared need): the driver stops at the floor. */
    BELOW_FLOOR,
    /** The target was above the guest's maximum ({@code memory/static-max}): the driver stops at the maximum. */
    ABOVE_MAXMEM
}
