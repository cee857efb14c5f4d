package org.coopvm.guest.task;

import java.util.concurrent.TimeUnit;

/**
 * A limit a guest puts on its own CPU use, as Linux's CFS bandwidth control ({@code cpu.max}:
 * quota per period) does for a cgroup: each vCPU runs task steps for at most {@code share} of
 * every period; once it has used that, it gives its CPU slot back (blocked: it is neither runnable
 * nor stealing) and rests until its period ends. Event upcalls still run while it rests (one task
 * step follows each, then it rests again). A cooperation policy sets it (polite-batch, when other
 * domains starve); without a limit a vCPU runs as long as it has work and holds a slot.
 *
 * <p>Thread safety: {@link #set}, {@link #lift} and the readers from any thread; vCPUs read the
 * setting once per safe point.
 */
public final class CpuLimit
{
    /** Shortest period. */
    public static final long MIN_PERIOD_MS = 1;
    /** Longest period. */
    public static final long MAX_PERIOD_MS = 10_000;

    private volatile Setting setting;

    /**
     * The limit in force.
     *
     * @param share    the fraction of each period a vCPU may run, above 0 and below 1.
     * @param periodNs the period, ns.
     */
    public record Setting(double share, long periodNs)
    {
        /** @return the run time a vCPU may use per period, ns. */
        public long quotaNs()
        {
            return (long)(share * periodNs);
        }
    }

    /**
     * Limit every vCPU to {@code share} of each period; 1.0 (or more) lifts the limit.
     *
     * @param share    above 0; 1.0 = no limit.
     * @param periodMs the period, {@value #MIN_PERIOD_MS}..{@value #MAX_PERIOD_MS} ms.
     * @throws IllegalArgumentException for a share not above 0 (or not a number) or a period out of range.
     */
    public void set(final double share, final long periodMs)
    {
        if (!(share > 0))
        {
            throw new IllegalArgumentException("cpu share " + share + " must be above 0 (1.0 = no limit)");
        }
        if (periodMs < MIN_PERIOD_MS || periodMs > MAX_PERIOD_MS)
        {
            throw new IllegalArgumentException("cpu limit period " + periodMs + " ms outside " + MIN_PERIOD_MS + ".." + MAX_PERIOD_MS);
        }
        setting = share >= 1.0 ? null : new Setting(share, TimeUnit.MILLISECONDS.toNanos(periodMs));
    }

    /** No limit any more. */
    public void lift()
    {
        setting = null;
    }

    /** @return the limit in force, {@code null} when none. */
    public Setting setting()
    {
        return setting;
    }

    /** @return the share in force, 1.0 when none. */
    public double share()
    {
        final Setting current = setting;
        return current == null ? 1.0 : current.share();
    }
}
