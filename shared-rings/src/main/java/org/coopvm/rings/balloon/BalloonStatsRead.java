package org.coopvm.rings.balloon;

import java.util.Objects;
import java.util.Optional;

/**
 * What dom0 made of a domain's balloon stats at one read.
 *
 * <p>Thread safety: immutable.
 *
 * @param freshness fresh, stale, invalid, or none.
 * @param problem   why invalid ({@link StatsProblem#NONE} otherwise; {@link StatsProblem#UNMAPPED} with NONE).
 * @param detail    the offending values, for a human ("" when fine).
 * @param stats     the accepted copy when fresh or stale, {@code null} otherwise.
 * @param ageNs     dom0's clock minus the publish time when fresh or stale (never negative), -1 otherwise.
 */
public record BalloonStatsRead(StatsFreshness freshness, StatsProblem problem, String detail, BalloonStats stats, long ageNs)
{
    /** The guest never published. */
    public static final BalloonStatsRead NONE = new BalloonStatsRead(StatsFreshness.NONE, StatsProblem.NONE, "", null, -1);

    /** Checks the references and that values come exactly with fresh and stale. */
    public BalloonStatsRead
    {
        Objects.requireNonNull(freshness, "freshness");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(detail, "detail");
        if (freshness.hasValues() != (stats != null))
        {
            throw new IllegalArgumentException(freshness + " with stats " + stats);
        }
    }

    /**
     * @param problem why.
     * @param detail  the offending values.
     * @return an invalid read.
     */
    public static BalloonStatsRead invalid(final StatsProblem problem, final String detail)
    {
        return new BalloonStatsRead(StatsFreshness.INVALID, problem, detail, null, -1);
    }

    /** @return the accepted copy when fresh or stale. */
    public Optional<BalloonStats> accepted()
    {
        return Optional.ofNullable(stats);
    }
}
