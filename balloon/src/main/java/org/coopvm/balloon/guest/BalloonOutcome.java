package org.coopvm.balloon.guest;

/**
 * How the driver's pursuit of the latest target ended, for the convergence report.
 *
 * <p>Thread safety: immutable.
 */
public enum BalloonOutcome
{
    /** No target has been written since the driver started. */
    NONE,
    /** Moving towards the target (possibly waiting to retry after a failure). */
    IN_PROGRESS,
    /** The guest holds exactly the target. */
    REACHED,
    /** The guest holds its floor: the target was below it. */
    BELOW_FLOOR,
    /** The guest holds its maximum: the target was above it. */
    ABOVE_MAXMEM,
    /** Stopped after the last retry failed; see the last failure. Resumes when the target changes. */
    GAVE_UP,
    /** Memory pressure made the guest take frames back: it holds more than the target until the target changes. */
    DEFLATED_UNDER_PRESSURE
}
