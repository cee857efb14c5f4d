package org.coopvm.balloon.host;

import org.coopvm.balloon.policy.StatsSample;
import org.coopvm.rings.balloon.BalloonStats;
import org.coopvm.rings.balloon.StatTag;

/**
 * Turns a guest's balloon stats, as dom0 copied and classified them
 * ({@code UsagePublisher.stats(domid)}), into the {@link StatsSample} policies see: bytes become
 * KiB, unset counters read 0, a working set of 0 means the guest does not estimate one, and
 * available memory the guest did not report is free plus caches; the cooperative request (already
 * within ±maxmem: the reader rejected anything bigger) passes as it is.
 *
 * <p>Thread safety: stateless.
 */
public final class StatsSamples
{
    private StatsSamples()
    {
    }

    /**
     * @param stats an accepted copy of a guest's stats.
     * @return the sample.
     */
    public static StatsSample of(final BalloonStats stats)
    {
        final long total = stats.kib(StatTag.TOTAL);
        final long free = stats.kib(StatTag.FREE);
        final long cache = stats.kib(StatTag.CACHES);
        final long available = stats.isValid(StatTag.AVAILABLE) ? stats.kib(StatTag.AVAILABLE) : Math.min(total, free + cache);
        return new StatsSample(stats.sequence(), stats.publishNs(), total, free, available, cache,
            stats.workingSetKib() > 0 ? stats.workingSetKib() : StatsSample.UNKNOWN,
            count(stats, StatTag.MAJOR_FAULTS), count(stats, StatTag.MINOR_FAULTS), stats.kib(StatTag.SWAP_IN),
            stats.kib(StatTag.SWAP_OUT), count(stats, StatTag.ALLOC_STALLS), stats.floorKib(), stats.requestKib());
    }

    private static long count(final BalloonStats stats, final StatTag tag)
    {
        return stats.isValid(tag) ? stats.value(tag) : 0;
    }
}
