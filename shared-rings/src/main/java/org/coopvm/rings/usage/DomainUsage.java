package org.coopvm.rings.usage;

import org.coopvm.rings.balloon.StatsFreshness;

import java.util.Objects;

/**
 * One domain's entry on the usage page (UsageEntryDescriptor), memory in KiB. The guest-reported
 * fields are what the guest claims in its balloon stats, copied by dom0 only when they were fresh
 * or stale (else 0): never a basis for a safety decision.
 *
 * <p>Thread safety: immutable.
 *
 * @param domid                 the domain.
 * @param flags                 {@code UsageEntryDescriptor.FLAG_*} bits.
 * @param currentKib            memory the domain holds now.
 * @param targetKib             its balloon target ({@code memory/target}); 0 when unknown.
 * @param minKib                its floor; 0 when none.
 * @param maxKib                its hard cap ({@code maxmem}).
 * @param guestFreeKib          free memory the guest reports.
 * @param guestWorkingSetKib    working set the guest estimates.
 * @param statsAgeMs            age of the guest's stats when the page was published, ms;
 *                              {@link UsageEntryDescriptor#NO_STATS_AGE} when none.
 * @param statsState            how dom0 classified the guest's stats.
 * @param cpu                   the CPU part, from the host's CPU scheduler.
 */
public record DomainUsage(
    int domid,
    int flags,
    long currentKib,
    long targetKib,
    long minKib,
    long maxKib,
    long guestFreeKib,
    long guestWorkingSetKib,
    int statsAgeMs,
    StatsFreshness statsState,
    DomainCpu cpu)
{
    /** Checks the references. */
    public DomainUsage
    {
        Objects.requireNonNull(statsState, "statsState");
        Objects.requireNonNull(cpu, "cpu");
    }

    /**
     * @param flag a {@code UsageEntryDescriptor.FLAG_*} bit.
     * @return whether it is set.
     */
    public boolean hasFlag(final int flag)
    {
        return (flags & flag) != 0;
    }
}
