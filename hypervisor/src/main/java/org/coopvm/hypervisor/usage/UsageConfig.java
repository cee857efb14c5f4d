package org.coopvm.hypervisor.usage;

import org.coopvm.rings.balloon.BalloonStatsReader;
import org.coopvm.rings.usage.UsagePageDescriptor;

/**
 * Settings of the usage page, validated once.
 *
 * <p>Thread safety: immutable.
 *
 * @param periodMs     how often dom0 republishes the page, {@link #MIN_PERIOD_MS}..{@link #MAX_PERIOD_MS} (default 1000).
 * @param capacity     domain entries the page holds, 1..{@link UsagePageDescriptor#MAX_CAPACITY} (default 1024);
 *                     more domains are left out and the page says it was truncated.
 * @param stalePeriods a guest's balloon stats older than this many of its own periods are stale, >= 1 (default 3).
 */
public record UsageConfig(long periodMs, int capacity, int stalePeriods)
{
    /** Default publish period. */
    public static final long DEFAULT_PERIOD_MS = 1000;
    /** Shortest period. */
    public static final long MIN_PERIOD_MS = 10;
    /** Longest period. */
    public static final long MAX_PERIOD_MS = 60_000;
    /** The defaults: 1000 ms, 1024 domains, stale after 3 periods. */
    public static final UsageConfig DEFAULTS = new UsageConfig(DEFAULT_PERIOD_MS, UsagePageDescriptor.DEFAULT_CAPACITY,
        BalloonStatsReader.DEFAULT_STALE_PERIODS);

    /** Validate. */
    public UsageConfig
    {
        if (periodMs < MIN_PERIOD_MS || periodMs > MAX_PERIOD_MS)
        {
            throw new IllegalArgumentException("usage periodMs " + periodMs + " outside " + MIN_PERIOD_MS + ".." + MAX_PERIOD_MS);
        }
        if (capacity < 1 || capacity > UsagePageDescriptor.MAX_CAPACITY)
        {
            throw new IllegalArgumentException("usage capacity " + capacity + " outside 1.." + UsagePageDescriptor.MAX_CAPACITY);
        }
        if (stalePeriods < 1)
        {
            throw new IllegalArgumentException("usage stalePeriods " + stalePeriods + " must be at least 1");
        }
    }

    /** @param ms the period. @return a copy with it. */
    public UsageConfig withPeriodMs(final long ms)
    {
        return new UsageConfig(ms, capacity, stalePeriods);
    }

    /** @param entries the capacity. @return a copy with it. */
    public UsageConfig withCapacity(final int entries)
    {
        return new UsageConfig(periodMs, entries, stalePeriods);
    }
}
