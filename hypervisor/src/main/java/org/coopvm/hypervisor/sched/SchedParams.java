package org.coopvm.hypervisor.sched;

import org.coopvm.rings.domain.StartInfoDescriptor;

/**
 * A domain's scheduling parameters (Xen's {@code xen_domctl_sched_credit} plus a per-domain slice),
 * shared by all its vCPUs. Validated on construction: a bad value throws
 * {@link IllegalArgumentException} naming the value and the allowed range, as
 * {@code coop sched-credit} shows it.
 *
 * <p>Thread safety: immutable.
 *
 * @param weight     relative share of the CPU slots, {@value #MIN_WEIGHT}..{@value #MAX_WEIGHT}
 *                   (default {@value #DEFAULT_WEIGHT}); a domain of weight 512 gets twice the CPU of
 *                   one of weight 256 when both are busy.
 * @param capPercent most CPU the whole domain may use, in percent of one slot: 0 = no cap, else
 *                   1..100 * its vCPUs (checked against the domain by {@link #checkFor(int)}; here
 *                   against {@value #MAX_CAP_PERCENT}, 100 * the most vCPUs a domain may have).
 * @param sliceMs    how long one of its vCPUs runs before others get a turn: 0 = the host's slice
 *                   ({@link SchedulerSettings#sliceMs()}), else {@value #MIN_SLICE_MS}..{@value #MAX_SLICE_MS}
 *                   (Xen's {@code tslice} range). Short slices suit latency-sensitive guests.
 */
public record SchedParams(int weight, int capPercent, int sliceMs)
{
    /** Lowest weight. */
    public static final int MIN_WEIGHT = 1;
    /** Highest weight. */
    public static final int MAX_WEIGHT = 65535;
    /** Xen's default weight. */
    public static final int DEFAULT_WEIGHT = 256;
    /** No cap. */
    public static final int NO_CAP = 0;
    /** Largest cap of any domain: 100% of each of the most vCPUs a domain may have. */
    public static final int MAX_CAP_PERCENT = 100 * StartInfoDescriptor.MAX_VCPUS;
    /** Slice value meaning "the host's slice". */
    public static final int HOST_SLICE = 0;
    /** Shortest slice. */
    public static final int MIN_SLICE_MS = 1;
    /** Longest slice. */
    public static final int MAX_SLICE_MS = 1000;
    /** Weight 256, no cap, the host's slice. */
    public static final SchedParams DEFAULTS = new SchedParams(DEFAULT_WEIGHT, NO_CAP, HOST_SLICE);

    /** Validate. */
    public SchedParams
    {
        if (weight < MIN_WEIGHT || weight > MAX_WEIGHT)
        {
            throw new IllegalArgumentException("weight " + weight + " outside " + MIN_WEIGHT + ".." + MAX_WEIGHT);
        }
        if (capPercent < 0 || capPercent > MAX_CAP_PERCENT)
        {
            throw new IllegalArgumentException("cap " + capPercent + " outside 0.." + MAX_CAP_PERCENT +
                " (percent of one CPU, 0 = no cap)");
        }
        if (sliceMs != HOST_SLICE && (sliceMs < MIN_SLICE_MS || sliceMs > MAX_SLICE_MS))
        {
            throw new IllegalArgumentException("slice " + sliceMs + " ms outside " + MIN_SLICE_MS + ".." + MAX_SLICE_MS +
                " (0 = the host's slice)");
        }
    }

    /**
     * Check the cap against a domain with {@code vcpus} vCPUs (Xen refuses a cap above 100% per vCPU).
     *
     * @param vcpus the domain's vCPU count, 1 or more.
     * @return this.
     * @throws IllegalArgumentException naming the cap and the range when it is above {@code 100 * vcpus}.
     */
    public SchedParams checkFor(final int vcpus)
    {
        if (capPercent > 100L * vcpus)
        {
            throw new IllegalArgumentException("cap " + capPercent + " outside 0.." + (100L * vcpus) +
                " (100 per vCPU, " + vcpus + " vCPUs; 0 = no cap)");
        }
        return this;
    }

    /** @return whether the domain has a cap. */
    public boolean capped()
    {
        return capPercent != NO_CAP;
    }

    /**
     * @param hostSliceMs the host's slice.
     * @return this domain's slice in ms: its own, or the host's when {@link #HOST_SLICE}.
     */
    public int sliceMsOr(final int hostSliceMs)
    {
        return sliceMs == HOST_SLICE ? hostSliceMs : sliceMs;
    }

    /** @param value the weight. @return a copy with it (validated). */
    public SchedParams withWeight(final int value)
    {
        return new SchedParams(value, capPercent, sliceMs);
    }

    /** @param value the cap. @return a copy with it (validated). */
    public SchedParams withCapPercent(final int value)
    {
        return new SchedParams(weight, value, sliceMs);
    }

    /** @param value the slice. @return a copy with it (validated). */
    public SchedParams withSliceMs(final int value)
    {
        return new SchedParams(weight, capPercent, value);
    }
}
