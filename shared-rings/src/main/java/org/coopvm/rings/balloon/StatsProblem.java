package org.coopvm.rings.balloon;

/**
 * Why dom0 rejected a guest's balloon stats (or could not read them). Every case is something
 * the guest controls, so each is counted and shown, never acted upon.
 */
public enum StatsProblem
{
    /** Nothing wrong. */
    NONE,
    /** No consistent copy within the bounded attempts: the guest writes nonstop or left the sequence odd. */
    TORN,
    /** The sequence is behind one already accepted. */
    SEQUENCE_BACKWARDS,
    /** The data changed but the sequence did not: written outside the sequence lock. */
    CHANGED_IN_PLACE,
    /** The publish time is ahead of dom0's clock by more than the tolerance. */
    TIMESTAMP_IN_FUTURE,
    /** A newer publish carries an older time. */
    TIMESTAMP_BACKWARDS,
    /** The declared period is outside 10..60000 ms. */
    BAD_PERIOD,
    /** Validity bits beyond the 16 known tags. */
    UNKNOWN_TAGS,
    /** A memory amount (free, total, available, caches, floor, working set, the request's size) above the domain's maxmem. */
    OVER_MAXMEM,
    /** Free, available or caches above total. */
    INCONSISTENT,
    /** A cumulative counter went down. */
    COUNTER_BACKWARDS,
    /** The region is no longer mapped (the domain went away). */
    UNMAPPED
}
