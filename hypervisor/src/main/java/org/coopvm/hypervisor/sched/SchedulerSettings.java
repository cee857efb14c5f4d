package org.coopvm.hypervisor.sched;

/**
 * Host-wide scheduler settings (Xen's {@code sched_credit_tslice_ms}, {@code sched_ratelimit_us},
 * the credit tick and the number of physical CPU slots). Validated on construction: a bad value
 * throws {@link IllegalArgumentException} naming the value and the range.
 *
 * <p>Thread safety: immutable.
 *
 * @param slots       physical CPU slots P, 1..{@value #MAX_SLOTS}: at most this many vCPUs run at once.
 * @param sliceMs     default time slice, {@value SchedParams#MIN_SLICE_MS}..{@value SchedParams#MAX_SLICE_MS}
 *                    (default {@value #DEFAULT_SLICE_MS}); the credit scheduler also runs its accounting
 *                    once per slice.
 * @param tickMs      how often the runtime calls {@link Scheduler#tick}, {@value #MIN_TICK_MS}..{@value #MAX_TICK_MS}
 *                    (default {@value #DEFAULT_TICK_MS}).
 * @param rateLimitUs a vCPU that has run less than this is not preempted by another: 0 = off, else
 *                    {@value #MIN_RATE_LIMIT_US}..{@value #MAX_RATE_LIMIT_US} and at most the slice
 *                    (Xen's rule; default {@value #DEFAULT_RATE_LIMIT_US}).
 */
public record SchedulerSettings(int slots, int sliceMs, int tickMs, long rateLimitUs)
{
    /** Most slots. */
    public static final int MAX_SLOTS = 4096;
    /** Xen's default slice. */
    public static final int DEFAULT_SLICE_MS = 30;
    /** Xen credit's tick. */
    public static final int DEFAULT_TICK_MS = 10;
    /** Shortest tick. */
    public static final int MIN_TICK_MS = 1;
    /** Longest tick. */
    public static final int MAX_TICK_MS = 1000;
    /** Rate limit off. */
    public static final long RATE_LIMIT_OFF = 0;
    /** Xen's default rate limit: 1 ms. */
    public static final long DEFAULT_RATE_LIMIT_US = 1000;
    /** Shortest rate limit (Xen's {@code XEN_SYSCTL_SCHED_RATELIMIT_MIN}). */
    public static final long MIN_RATE_LIMIT_US = 100;
    /** Longest rate limit (Xen's {@code XEN_SYSCTL_SCHED_RATELIMIT_MAX}). */
    public static final long MAX_RATE_LIMIT_US = 500_000;

    /** Validate. */
    public SchedulerSettings
    {
        if (slots < 1 || slots > MAX_SLOTS)
        {
            throw new IllegalArgumentException("cpu slots " + slots + " outside 1.." + MAX_SLOTS);
        }
        if (sliceMs < SchedParams.MIN_SLICE_MS || sliceMs > SchedParams.MAX_SLICE_MS)
        {
            throw new IllegalArgumentException("slice " + sliceMs + " ms outside " + SchedParams.MIN_SLICE_MS + ".." +
                SchedParams.MAX_SLICE_MS);
        }
        if (tickMs < MIN_TICK_MS || tickMs > MAX_TICK_MS)
        {
            throw new IllegalArgumentException("tick " + tickMs + " ms outside " + MIN_TICK_MS + ".." + MAX_TICK_MS);
        }
        if (rateLimitUs != RATE_LIMIT_OFF && (rateLimitUs < MIN_RATE_LIMIT_US || rateLimitUs > MAX_RATE_LIMIT_US))
        {
            throw new IllegalArgumentException("rate limit " + rateLimitUs + " us outside " + MIN_RATE_LIMIT_US + ".." +
                MAX_RATE_LIMIT_US + " (0 = off)");
        }
        if (rateLimitUs > sliceMs * 1000L)
        {
            throw new IllegalArgumentException("rate limit " + rateLimitUs + " us longer than the slice (" + sliceMs + " ms)");
        }
    }

    /**
     * @param slots the number of slots.
     * @return Xen's defaults: 30 ms slice, 10 ms tick, 1 ms rate limit.
     */
    public static SchedulerSettings defaults(final int slots)
    {
        return new SchedulerSettings(slots, DEFAULT_SLICE_MS, DEFAULT_TICK_MS, DEFAULT_RATE_LIMIT_US);
    }

    /** @return the slice in ns. */
    public long sliceNs()
    {
        return sliceMs * 1_000_000L;
    }

    /** @return the tick in ns. */
    public long tickNs()
    {
        return tickMs * 1_000_000L;
    }

    /** @return the rate limit in ns (0 = off). */
    public long rateLimitNs()
    {
        return rateLimitUs * 1000L;
    }

    /** @param value the slots. @return a copy with it (validated). */
    public SchedulerSettings withSlots(final int value)
    {
        return new SchedulerSettings(value, sliceMs, tickMs, rateLimitUs);
    }

    /** @param value the default slice. @return a copy with it (validated). */
    public SchedulerSettings withSliceMs(final int value)
    {
        return new SchedulerSettings(slots, value, tickMs, rateLimitUs);
    }

    /** @param value the rate limit. @return a copy with it (validated). */
    public SchedulerSettings withRateLimitUs(final long value)
    {
        return new SchedulerSettings(slots, sliceMs, tickMs, value);
    }
}
