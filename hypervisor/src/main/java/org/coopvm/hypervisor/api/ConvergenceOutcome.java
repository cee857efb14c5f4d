package org.coopvm.hypervisor.api;

import java.util.Locale;

/**
 * How one change of a domain's {@code memory/target} ended: every change ends in exactly one
 * {@link ConvergenceReport} with one of these. Names are stable (trace, xenstore, API, metrics).
 *
 * <p>Thread safety: immutable.
 */
public enum ConvergenceOutcome
{
    /** The domain's populated pages came within one page of the target. */
    REACHED("reached"),
    /** The target was above the domain's max pages: the domain reached the clamped target (maxmem). */
    ABOVE_MAXMEM("above-max"),
    /** The target was below the floor (minmem, or the floor the guest declared in fresh stats): the domain reached the floor. */
    BELOW_FLOOR("below-floor"),
    /** The domain had to grow and the host's pool had fewer free pages than it still needed (or refused a populate with ENOMEM). */
    HOST_POOL_SHORT("pool-short"),
    /**
     * The guest did not follow although the host could serve it: it stopped short of a shrink
     * and its fresh stats declare a floor above the target, or it never moved by the timeout
     * while running and publishing fresh stats.
     */
    GUEST_REFUSED("refused"),
    /** The domain moved towards the target but had not reached it by the slow deadline. */
    GUEST_SLOW("slow"),
    /** The domain never moved towards the target by the timeout, and the guest was not seen alive (no fresh stats, paused). */
    TIMED_OUT("timed-out"),
    /** The written value was not a KiB count (empty, not a number, negative, too large): ignored, the previous target stands. */
    INVALID_TARGET("invalid"),
    /** A newer target was written before this one was reached or given up on. */
    SUPERSEDED("superseded"),
    /** The domain was destroyed while the change was tracked. */
    DOMAIN_GONE("gone");

    private final String label;

    ConvergenceOutcome(final String label)
    {
        this.label = label;
    }

    /** @return the short lower-case label {@code coop list} shows, e.g. {@code pool-short}. */
    public String label()
    {
        return label;
    }

    /** @return the name as written in xenstore and the trace, lower case, e.g. {@code host_pool_short}. */
    public String wireName()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return whether the domain got to its (possibly clamped) target. */
    public boolean isReached()
    {
        return this == REACHED || this == ABOVE_MAXMEM || this == BELOW_FLOOR;
    }
}
