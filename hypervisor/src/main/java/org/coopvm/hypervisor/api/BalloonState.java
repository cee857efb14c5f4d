package org.coopvm.hypervisor.api;

/**
 * A domain's balloon as the host sees it, part of {@link DomainInfo}: the target it follows and
 * how the latest change went.
 *
 * @param targetKib    the target in force ({@code memory/target}, the last valid KiB count written).
 * @param tracking     whether a change is being tracked now (no report yet).
 * @param effectiveKib what the tracked change holds the domain to (clamped), -1 when none is tracked.
 * @param lastReport   the domain's latest report, null when none yet.
 *
 * <p>Thread safety: immutable.
 */
public record BalloonState(long targetKib, boolean tracking, long effectiveKib, ConvergenceReport lastReport)
{
    /** @return the short form {@code coop list} shows: {@code tracking}, the last report's summary, or {@code -}. */
    public String summary()
    {
        if (tracking)
        {
            return "tracking";
        }
        return lastReport == null ? "-" : lastReport.summary();
    }
}
