package org.coopvm.hypervisor.sched.runtime;

import org.coopvm.hypervisor.sched.SchedulerSettings;

import java.util.Objects;

/**
 * The host's CPU scheduling settings, validated once: which algorithm, its settings (slots P,
 * slice, tick, rate limit) and how a vCPU that ignores the preempt flag is dealt with.
 *
 * <p>Thread safety: immutable.
 *
 * @param scheduler       the algorithm's name ({@link org.coopvm.hypervisor.sched.Scheduler#name()}),
 *                        found through {@code ServiceLoader}.
 * @param settings        slots, default slice, tick and rate limit.
 * @param graceMs         how long past its slice (and after the preempt flag) a vCPU may keep its
 *                        slot before that counts as an overrun, 0..10000; default one tick.
 * @param overrunLimit    overruns of one vCPU within {@code overrunWindowMs} that get its domain
 *                        suspended, 1..1000 (default 3).
 * @param overrunWindowMs the window those overruns are counted in, 1..3,600,000 (default 1000).
 * @param penaltyMs       how long a suspension lasts, 1..3,600,000 (default 1000).
 */
public record CpuSchedulerConfig(
    String scheduler,
    SchedulerSettings settings,
    long graceMs,
    int overrunLimit,
    long overrunWindowMs,
    long penaltyMs)
{
    /** The default algorithm: Xen's credit scheduler. */
    public static final String DEFAULT_SCHEDULER = "credit";
    /** Default overruns before a suspension. */
    public static final int DEFAULT_OVERRUN_LIMIT = 3;
    /** Default window of those overruns. */
    public static final long DEFAULT_OVERRUN_WINDOW_MS = 1000;
    /** Default suspension. */
    public static final long DEFAULT_PENALTY_MS = 1000;
    private static final long MAX_PERIOD_MS = 3_600_000;

    /** Validate. */
    public CpuSchedulerConfig
    {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(settings, "settings");
        if (graceMs < 0 || graceMs > 10_000)
        {
            throw new IllegalArgumentException("sched grace " + graceMs + " ms outside 0..10000");
        }
        if (overrunLimit < 1 || overrunLimit > 1000)
        {
            throw new IllegalArgumentException("overrun limit " + overrunLimit + " outside 1..1000");
        }
        if (overrunWindowMs < 1 || overrunWindowMs > MAX_PERIOD_MS || penaltyMs < 1 || penaltyMs > MAX_PERIOD_MS)
        {
            throw new IllegalArgumentException("overrun window " + overrunWindowMs + " ms or penalty " + penaltyMs +
                " ms outside 1.." + MAX_PERIOD_MS);
        }
    }

    /**
     * @return the defaults: {@value #DEFAULT_SCHEDULER}, one slot per available processor, Xen's
     *         slice, tick and rate limit, a grace of one tick, 3 overruns in 1 s suspend for 1 s.
     */
    public static CpuSchedulerConfig defaults()
    {
        return of(DEFAULT_SCHEDULER, SchedulerSettings.defaults(Runtime.getRuntime().availableProcessors()));
    }

    /**
     * @param scheduler the algorithm's name.
     * @param settings  its settings.
     * @return a config with them and the default enforcement (grace one tick).
     */
    public static CpuSchedulerConfig of(final String scheduler, final SchedulerSettings settings)
    {
        return new CpuSchedulerConfig(scheduler, settings, settings.tickMs(), DEFAULT_OVERRUN_LIMIT, DEFAULT_OVERRUN_WINDOW_MS,
            DEFAULT_PENALTY_MS);
    }

    /**
     * @param grace  the grace, ms.
     * @param limit  overruns that suspend.
     * @param window their window, ms.
     * @param penalty the suspension, ms.
     * @return a copy with this enforcement.
     */
    public CpuSchedulerConfig withEnforcement(final long grace, final int limit, final long window, final long penalty)
    {
        return new CpuSchedulerConfig(scheduler, settings, grace, limit, window, penalty);
    }

    /** @return the grace in ns. */
    public long graceNs()
    {
        return graceMs * 1_000_000L;
    }

    /** @return the overrun window in ns. */
    public long overrunWindowNs()
    {
        return overrunWindowMs * 1_000_000L;
    }

    /** @return the penalty in ns. */
    public long penaltyNs()
    {
        return penaltyMs * 1_000_000L;
    }
}
