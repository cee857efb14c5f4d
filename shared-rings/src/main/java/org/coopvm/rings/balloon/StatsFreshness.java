package org.coopvm.rings.balloon;

/**
 * How dom0 classified a domain's balloon stats when it last read them; the code is stored in the
 * usage page's entries ({@code UsageEntryDescriptor.STATS_STATE_OFFSET}). Codes are ABI: never
 * renumber, only add.
 */
public enum StatsFreshness
{
    /** The guest never published (sequence 0), or has no stats region. */
    NONE(0),
    /** Valid and younger than the stale limit. */
    FRESH(1),
    /** Valid but older than the stale limit: the guest stopped publishing. */
    STALE(2),
    /** Rejected: the guest wrote something impossible (see {@link StatsProblem}). */
    INVALID(3);

    private final int code;

    StatsFreshness(final int code)
    {
        this.code = code;
    }

    /** @return the u32 stored in the usage page. */
    public int code()
    {
        return code;
    }

    /**
     * @param code a stored code.
     * @return its state, {@code null} when unknown.
     */
    public static StatsFreshness fromCode(final int code)
    {
        for (final StatsFreshness state : values())
        {
            if (state.code == code)
            {
                return state;
            }
        }
        return null;
    }

    /** @return whether the values may be shown (fresh or stale), as claims of the guest. */
    public boolean hasValues()
    {
        return this == FRESH || this == STALE;
    }
}
