package org.coopvm.balloon.policy;

/**
 * Whether a domain's stats may be acted on. Only {@link #FRESH} stats may make a policy grow a
 * domain; the engine holds any other domain at what it has (see
 * {@link DecisionReason#STATS_STALE} and the two after it).
 *
 * <p>Thread safety: immutable.
 */
public enum StatsStatus
{
    /** The latest sample is recent and plausible. */
    FRESH(null),
    /** The guest has not pushed a sample recently (hung, slow, or lying still). */
    STALE(DecisionReason.STATS_STALE),
    /** The guest never pushed a sample. */
    MISSING(DecisionReason.STATS_MISSING),
    /** The latest sample cannot be true (free above total, total above maxmem, ...). */
    IMPLAUSIBLE(DecisionReason.STATS_IMPLAUSIBLE);

    private final DecisionReason reason;

    StatsStatus(final DecisionReason reason)
    {
        this.reason = reason;
    }

    /** @return the reason a decision gives when it could not use these stats, or null for {@link #FRESH}. */
    public DecisionReason reason()
    {
        return reason;
    }
}
