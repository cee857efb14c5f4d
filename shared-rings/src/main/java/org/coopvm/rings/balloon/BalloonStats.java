package org.coopvm.rings.balloon;

import java.util.Arrays;

/**
 * A private copy of one publish of a guest's balloon stats: what the guest claims.
 *
 * <p>Thread safety: immutable.
 */
public final class BalloonStats
{
    private final int sequence;
    private final int periodMs;
    private final long publishNs;
    private final long validMask;
    private final long floorKib;
    private final long workingSetKib;
    private final long requestKib;
    private final long[] values;

    /**
     * @param sequence      the (even) sequence of the publish.
     * @param periodMs      the guest's publish period.
     * @param publishNs     the guest's publish time, CLOCK_MONOTONIC ns.
     * @param validMask     bit t set: value of tag t is meaningful.
     * @param floorKib      declared floor, KiB.
     * @param workingSetKib working set estimate, KiB.
     * @param requestKib    cooperative request, KiB (signed: more than 0 asks, less than 0 volunteers).
     * @param values        {@link StatTag#COUNT} values by tag (copied).
     */
    public BalloonStats(final int sequence, final int periodMs, final long publishNs, final long validMask, final long floorKib,
        final long workingSetKib, final long requestKib, final long[] values)
    {
        if (values.length != StatTag.COUNT)
        {
            throw new IllegalArgumentException("need " + StatTag.COUNT + " values, got " + values.length);
        }
        this.sequence = sequence;
        this.periodMs = periodMs;
        this.publishNs = publishNs;
        this.validMask = validMask;
        this.floorKib = floorKib;
        this.workingSetKib = workingSetKib;
        this.requestKib = requestKib;
        this.values = values.clone();
    }

    /** @return the (even) sequence; it grows by 2 per publish. */
    public int sequence()
    {
        return sequence;
    }

    /** @return the guest's declared publish period, ms. */
    public int periodMs()
    {
        return periodMs;
    }

    /** @return when the guest published, CLOCK_MONOTONIC ns. */
    public long publishNs()
    {
        return publishNs;
    }

    /** @return the validity mask. */
    public long validMask()
    {
        return validMask;
    }

    /** @return the floor the guest declares it needs, KiB (0 = none). */
    public long floorKib()
    {
        return floorKib;
    }

    /** @return the guest's working set estimate, KiB. */
    public long workingSetKib()
    {
        return workingSetKib;
    }

    /**
     * @return the guest's cooperative request, KiB: more than 0 asks for that much above this
     *         publish's total, less than 0 volunteers that much back, 0 asks for nothing; within
     *         ±maxmem once the reader accepted the copy.
     */
    public long requestKib()
    {
        return requestKib;
    }

    /** @param tag a tag. @return whether the guest set it. */
    public boolean isValid(final StatTag tag)
    {
        return (validMask & tag.bit()) != 0;
    }

    /** @param tag a tag. @return its raw value, in the tag's unit (0 when not valid is not guaranteed: check {@link #isValid}). */
    public long value(final StatTag tag)
    {
        return values[tag.tag()];
    }

    /**
     * @param tag a {@link StatTag.Unit#BYTES} tag.
     * @return its value in KiB (rounded down), or 0 when the guest did not set it.
     */
    public long kib(final StatTag tag)
    {
        return isValid(tag) ? values[tag.tag()] / 1024 : 0;
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof BalloonStats that && sequence == that.sequence && periodMs == that.periodMs &&
            publishNs == that.publishNs && validMask == that.validMask && floorKib == that.floorKib &&
            workingSetKib == that.workingSetKib && requestKib == that.requestKib && Arrays.equals(values, that.values);
    }

    @Override
    public int hashCode()
    {
        return 31 * Long.hashCode(publishNs) + sequence;
    }

    @Override
    public String toString()
    {
        return "BalloonStats{seq=" + sequence + ", periodMs=" + periodMs + ", publishNs=" + publishNs + ", valid=0x" +
            Long.toHexString(validMask) + ", floorKib=" + floorKib + ", workingSetKib=" + workingSetKib +
            ", requestKib=" + requestKib + ", values=" + Arrays.toString(values) + "}";
    }
}
