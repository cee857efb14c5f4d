package org.coopvm.balloon.policy;

import java.util.List;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * One domain as a policy sees it in a {@link BalloonSnapshot}: the hypervisor's figures (trusted)
 * and the guest's stats history (not trusted; see {@link #statsStatus()}).
 *
 * <p>{@code weight} is the domain's memory weight, ESX's shares: Xen has no memory weight, so
 * CoopVM uses the range and default of Xen's credit-scheduler weight (1..65535, default
 * {@link #DEFAULT_WEIGHT}); twice the weight is twice the claim on memory under contention.
 *
 * @param domid      the domain id.
 * @param name       the domain name.
 * @param memoryKib  memory configured at creation ({@code memory}).
 * @param currentKib the domain's current reservation.
 * @param targetKib  the target currently set ({@code memory/target}).
 * @param floorKib   the least memory the host will leave it ({@code minmem}; 0 when none).
 * @param maxKib     the hard cap ({@code maxmem}).
 * @param weight     memory weight, 1..65535.
 * @param statsFresh whether the snapshot source saw a new sample recently (by the host's clock).
 * @param history    the guest's samples, oldest first, at most {@link #MAX_HISTORY}.
 *
 * <p>Thread safety: immutable.
 */
public record DomainView(
    int domid,
    String name,
    long memoryKib,
    long currentKib,
    long targetKib,
    long floorKib,
    long maxKib,
    int weight,
    boolean statsFresh,
    List<StatsSample> history)
{
    /** Default memory weight, as Xen's credit-scheduler default weight. */
    public static final int DEFAULT_WEIGHT = 256;
    /** Largest memory weight. */
    public static final int MAX_WEIGHT = 65535;
    /** Most samples a view carries. */
    public static final int MAX_HISTORY = 1024;

    /** Validate the hypervisor's figures (they are the host's, so a violation is a bug, not a guest's lie). */
    public DomainView
    {
        Objects.requireNonNull(name, "name");
        history = List.copyOf(Objects.requireNonNull(history, "history"));
        if (domid < 0 || memoryKib < 0 || currentKib < 0 || targetKib < 0 || floorKib < 0 || floorKib > maxKib)
        {
            throw new IllegalArgumentException("domain " + domid + ": memory " + memoryKib + ", current " + currentKib +
                ", target " + targetKib + ", floor " + floorKib + ", max " + maxKib + " KiB: need all >= 0, floor <= max");
        }
        if (weight < 1 || weight > MAX_WEIGHT)
        {
            throw new IllegalArgumentException("domain " + domid + ": weight " + weight + " outside 1.." + MAX_WEIGHT);
        }
        if (history.size() > MAX_HISTORY)
        {
            throw new IllegalArgumentException("domain " + domid + ": " + history.size() + " samples, at most " + MAX_HISTORY);
        }
    }

    /**
     * A view with no stats, the configured memory as current and target, no floor.
     *
     * @param domid     domain id.
     * @param name      domain name.
     * @param memoryKib configured, current and target memory.
     * @param maxKib    maxmem.
     * @return the view.
     */
    public static DomainView of(final int domid, final String name, final long memoryKib, final long maxKib)
    {
        return new DomainView(domid, name, memoryKib, memoryKib, memoryKib, 0, maxKib, DEFAULT_WEIGHT, false, List.of());
    }

    /**
     * @param newCurrentKib current reservation.
     * @param newTargetKib  current target.
     * @return this view with those figures.
     */
    public DomainView withMemory(final long newCurrentKib, final long newTargetKib)
    {
        return new DomainView(domid, name, memoryKib, newCurrentKib, newTargetKib, floorKib, maxKib, weight, statsFresh, history);
    }

    /**
     * @param newFloorKib floor.
     * @param newWeight   weight.
     * @return this view with that floor and weight.
     */
    public DomainView withFloorAndWeight(final long newFloorKib, final int newWeight)
    {
        return new DomainView(domid, name, memoryKib, currentKib, targetKib, newFloorKib, maxKib, newWeight, statsFresh, history);
    }

    /**
     * @param fresh      whether the stats are fresh.
     * @param newHistory the samples, oldest first.
     * @return this view with those stats.
     */
    public DomainView withStats(final boolean fresh, final List<StatsSample> newHistory)
    {
        return new DomainView(domid, name, memoryKib, currentKib, targetKib, floorKib, maxKib, weight, fresh, newHistory);
    }

    /**
     * @return whether a policy may act on the latest sample: {@link StatsStatus#FRESH} only when
     * there is one, the source found it fresh, and it is plausible for this domain.
     */
    public StatsStatus statsStatus()
    {
        if (history.isEmpty())
        {
            return StatsStatus.MISSING;
        }
        if (!statsFresh)
        {
            return StatsStatus.STALE;
        }
        return latest().problem(ceilingKib()) == null ? StatsStatus.FRESH : StatsStatus.IMPLAUSIBLE;
    }

    /** @return a short description of why the stats cannot be used, for a decision's detail. */
    public String statsProblem()
    {
        return switch (statsStatus())
        {
            case FRESH -> "stats fresh";
            case MISSING -> "no stats yet";
            case STALE -> "stats stale (last sequence " + latest().sequence() + ")";
            case IMPLAUSIBLE -> "stats implausible: " + latest().problem(ceilingKib());
        };
    }

    /** @return the newest sample, or null when there is none. */
    public StatsSample latest()
    {
        return history.isEmpty() ? null : history.getLast();
    }

    /**
     * The mean of a figure over the newest plausible samples (MoM's {@code StatAvg}).
     *
     * @param samples how many of the newest samples to look at.
     * @param figure  the figure.
     * @return the mean over the plausible ones among them (the latest is plausible when FRESH).
     */
    public double average(final int samples, final ToLongFunction<StatsSample> figure)
    {
        long sum = 0;
        int count = 0;
        for (int i = history.size() - 1; i >= 0 && i >= history.size() - samples; i--)
        {
            final StatsSample sample = history.get(i);
            if (sample.problem(ceilingKib()) == null)
            {
                sum += figure.applyAsLong(sample);
                count++;
            }
        }
        return count == 0 ? 0.0 : (double)sum / count;
    }

    /**
     * @param counter a cumulative counter.
     * @return how much it grew between the two newest samples (0 with fewer, or when it went back).
     */
    public long latestIncrease(final ToLongFunction<StatsSample> counter)
    {
        if (history.size() < 2)
        {
            return 0;
        }
        return Math.max(0, counter.applyAsLong(history.getLast()) - counter.applyAsLong(history.get(history.size() - 2)));
    }

    /** @return the most a guest's total can truthfully be: maxmem, or current when higher. */
    public long ceilingKib()
    {
        return Math.max(maxKib, currentKib);
    }
}
