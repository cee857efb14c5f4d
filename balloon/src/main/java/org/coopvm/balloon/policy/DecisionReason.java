package org.coopvm.balloon.policy;

/**
 * Why a domain got the target it got. Policies give the reasons of the first groups; the engine
 * replaces a policy's reason with a clamp reason ({@link #isClamp()}) when it had to change the
 * target, and keeps the policy's reason beside it in the record.
 *
 * <p>Thread safety: immutable.
 */
public enum DecisionReason
{
    /** The target stays as it was. */
    NO_CHANGE(false),
    /** A change smaller than the policy's least worthwhile change (MoM's min_balloon_change_percent). */
    CHANGE_TOO_SMALL(false),
    /** A policy's own reason, explained in the detail (for policies written outside CoopVM). */
    POLICY_CHOICE(false),

    /** static: the domain's configured memory. */
    CONFIGURED(false),
    /** static: the target given for the domain in the policy's parameters. */
    FIXED_TARGET(false),

    /** mom: the host is under pressure (free below pressure_threshold); shrink, keeping free memory in the guest. */
    HOST_PRESSURE(false),
    /** mom: the host's free memory is critical (at or below pressure_critical); shrink harder. */
    HOST_PRESSURE_CRITICAL(false),
    /** mom: no host pressure; grow toward maxmem. */
    NO_PRESSURE_GROW(false),

    /** proportional-share: reclaimed from the domain with the fewest adjusted shares per page (idle memory tax). */
    IDLE_TAX_RECLAIM(false),
    /** proportional-share: given to the domain with demand and the most adjusted shares per page. */
    SHARE_GRANT(false),
    /** proportional-share: the domain's allocation matches its shares: stay at current memory. */
    SHARE_HOLD(false),

    /** selfballoon: memory above the goal; shrink by a fraction of the excess (down-hysteresis). */
    SELF_SHRINK(false),
    /** selfballoon: memory below the goal; grow to it (up-hysteresis). */
    SELF_GROW(false),
    /** selfballoon: within the dead band around the goal. */
    SELF_AT_GOAL(false),

    /** cooperative: the guest volunteered memory and gives it back. */
    GUEST_VOLUNTEERED(false),
    /** cooperative: the guest's request was granted in full. */
    GUEST_REQUEST_GRANTED(false),
    /** cooperative: the pool covered part of the guest's request (shared by weight). */
    GUEST_REQUEST_PARTIAL(false),
    /** cooperative: the pool could not cover any of the guest's request. */
    GUEST_REQUEST_REFUSED(false),

    /** The domain's stats are stale: no growth on its say-so. */
    STATS_STALE(true),
    /** The domain never pushed stats: no growth on its say-so. */
    STATS_MISSING(true),
    /** The domain's latest stats cannot be true: no growth on its say-so. */
    STATS_IMPLAUSIBLE(true),

    /** Clamped down to the domain's maxmem. */
    ABOVE_MAXMEM(true),
    /** Clamped up to the domain's floor (minmem). */
    BELOW_FLOOR(true),
    /** Growth cut because the pool cannot cover every target (sum of targets above current plus free). */
    HOST_POOL_SHORT(true),
    /** The policy threw or returned nothing: every target stays as it was. */
    POLICY_FAILED(true);

    private final boolean clamp;

    DecisionReason(final boolean clamp)
    {
        this.clamp = clamp;
    }

    /** @return whether this reason says a target was held or cut for safety rather than chosen by a policy. */
    public boolean isClamp()
    {
        return clamp;
    }
}
