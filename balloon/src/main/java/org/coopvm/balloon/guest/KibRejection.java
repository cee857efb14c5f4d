package org.coopvm.balloon.guest;

/**
 * Why a KiB value read from xenstore (a {@code memory/target} write, a host floor) was ignored.
 *
 * <p>Thread safety: immutable.
 */
public enum KibRejection
{
    /** Accepted: nothing was rejected. */
    NONE,
    /** Empty, or the node is gone. */
    EMPTY,
    /** Not a decimal number (letters, spaces, a sign other than a leading minus, a fraction). */
    NOT_A_NUMBER,
    /** A negative number. */
    NEGATIVE,
    /** More than a signed 64-bit count of KiB. */
    OVERFLOW
}
