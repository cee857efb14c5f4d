package org.coopvm.rings.balloon;

import static org.coopvm.rings.balloon.BalloonStatsDescriptor.*;

/**
 * The checks {@link BalloonStatsReader} applies to one private copy, in order; the first that
 * fails names the {@link StatsProblem}. Values are u64 in the region, so they compare unsigned: a
 * "negative" value is a huge one.
 *
 * <p>Thread safety: one use, by the reader's thread.
 */
final class StatsValidation
{
    private static final StatTag[] BOUNDED_BY_MAXMEM = {StatTag.FREE, StatTag.TOTAL, StatTag.AVAILABLE, StatTag.CACHES};
    private static final StatTag[] BOUNDED_BY_TOTAL = {StatTag.FREE, StatTag.AVAILABLE, StatTag.CACHES};

    private final BalloonStats copy;
    private final BalloonStats last;
    private final long nowNs;
    private final long maxmemKib;
    private final long futureToleranceNs;

    StatsValidation(final BalloonStats copy, final BalloonStats last, final long nowNs, final long maxmemKib, final long futureToleranceNs)
    {
        this.copy = copy;
        this.last = last;
        this.nowNs = nowNs;
        this.maxmemKib = maxmemKib;
        this.futureToleranceNs = futureToleranceNs;
    }

    /** @return the rejection, or {@code null} when the copy is valid. */
    BalloonStatsRead check()
    {
        BalloonStatsRead problem = header();
        if (problem == null)
        {
            problem = history();
        }
        if (problem == null)
        {
            problem = amounts();
        }
        return problem == null ? counters() : problem;
    }

    private BalloonStatsRead header()
    {
        if (copy.periodMs() < MIN_PERIOD_MS || copy.periodMs() > MAX_PERIOD_MS)
        {
            return BalloonStatsRead.invalid(StatsProblem.BAD_PERIOD,
                "period " + Integer.toUnsignedString(copy.periodMs()) + " ms outside " + MIN_PERIOD_MS + ".." + MAX_PERIOD_MS);
        }
        if ((copy.validMask() & ~KNOWN_TAGS_MASK) != 0)
        {
            return BalloonStatsRead.invalid(StatsProblem.UNKNOWN_TAGS, "validity mask 0x" + Long.toHexString(copy.validMask()) +
                " has bits beyond tag " + (StatTag.COUNT - 1));
        }
        if (copy.publishNs() - nowNs > futureToleranceNs)
        {
            return BalloonStatsRead.invalid(StatsProblem.TIMESTAMP_IN_FUTURE,
                "published at " + copy.publishNs() + " ns, " + (copy.publishNs() - nowNs) + " ns ahead of dom0's clock");
        }
        return null;
    }

    private BalloonStatsRead history()
    {
        if (last == null)
        {
            return null;
        }
        final int delta = copy.sequence() - last.sequence();
        if (delta < 0)
        {
            return BalloonStatsRead.invalid(StatsProblem.SEQUENCE_BACKWARDS, "sequence " + Integer.toUnsignedString(copy.sequence()) +
                " behind the accepted " + Integer.toUnsignedString(last.sequence()));
        }
        if (delta == 0 && !copy.equals(last))
        {
            return BalloonStatsRead.invalid(StatsProblem.CHANGED_IN_PLACE, "data changed under the accepted sequence " +
                Integer.toUnsignedString(copy.sequence()));
        }
        if (copy.publishNs() - last.publishNs() < 0)
        {
            return BalloonStatsRead.invalid(StatsProblem.TIMESTAMP_BACKWARDS, "sequence " + Integer.toUnsignedString(copy.sequence()) +
                " published at " + copy.publishNs() + " ns, before the accepted " + last.publishNs() + " ns");
        }
        return null;
    }

    private BalloonStatsRead amounts()
    {
        final long maxBytes = maxmemKib * 1024;
        for (final StatTag tag : BOUNDED_BY_MAXMEM)
        {
            if (copy.isValid(tag) && Long.compareUnsigned(copy.value(tag), maxBytes) > 0)
            {
                return overMaxmem(tag.name().toLowerCase() + " " + Long.toUnsignedString(copy.value(tag)) + " bytes");
            }
        }
        if (Long.compareUnsigned(copy.floorKib(), maxmemKib) > 0)
        {
            return overMaxmem("floor " + Long.toUnsignedString(copy.floorKib()) + " KiB");
        }
        if (Long.compareUnsigned(copy.workingSetKib(), maxmemKib) > 0)
        {
            return overMaxmem("working set " + Long.toUnsignedString(copy.workingSetKib()) + " KiB");
        }
        if (copy.requestKib() > maxmemKib || copy.requestKib() < -maxmemKib)
        {
            return overMaxmem("request " + copy.requestKib() + " KiB (either sign)");
        }
        if (copy.isValid(StatTag.TOTAL))
        {
            for (final StatTag tag : BOUNDED_BY_TOTAL)
            {
                if (copy.isValid(tag) && Long.compareUnsigned(copy.value(tag), copy.value(StatTag.TOTAL)) > 0)
                {
                    return BalloonStatsRead.invalid(StatsProblem.INCONSISTENT, tag.name().toLowerCase() + " " +
                        Long.toUnsignedString(copy.value(tag)) + " bytes above total " + Long.toUnsignedString(copy.value(StatTag.TOTAL)));
                }
            }
        }
        return null;
    }

    private BalloonStatsRead counters()
    {
        if (last == null)
        {
            return null;
        }
        for (final StatTag tag : StatTag.values())
        {
            if (tag.isCumulative() && copy.isValid(tag) && last.isValid(tag) && Long.compareUnsigned(copy.value(tag), last.value(tag)) < 0)
            {
                return BalloonStatsRead.invalid(StatsProblem.COUNTER_BACKWARDS, tag.name().toLowerCase() + " went from " +
                    Long.toUnsignedString(last.value(tag)) + " to " + Long.toUnsignedString(copy.value(tag)));
            }
        }
        return null;
    }

    private BalloonStatsRead overMaxmem(final String what)
    {
        return BalloonStatsRead.invalid(StatsProblem.OVER_MAXMEM, what + " above maxmem " + maxmemKib + " KiB");
    }
}
