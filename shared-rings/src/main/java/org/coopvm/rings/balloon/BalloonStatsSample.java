package org.coopvm.rings.balloon;

import java.util.Arrays;

/**
 * What a guest is about to publish: the values it knows (each marks its tag valid), its floor,
 * its working set estimate and its cooperative request. A mutable holder, reused from one publish to the next.
 *
 * <p>Thread safety: one thread (the guest's stats publisher).
 */
public final class BalloonStatsSample
{
    private final long[] values = new long[StatTag.COUNT];
    private long validMask;
    private long floorKib;
    private long workingSetKib;
    private long requestKib;

    /** @return this sample with no value set, floor, working set and request 0. */
    public BalloonStatsSample clear()
    {
        Arrays.fill(values, 0);
        validMask = 0;
        floorKib = 0;
        workingSetKib = 0;
        requestKib = 0;
        return this;
    }

    /**
     * Set a value and mark its tag valid.
     *
     * @param tag   the tag.
     * @param value in the tag's unit (bytes or a count), not negative.
     * @return this sample.
     */
    public BalloonStatsSample set(final StatTag tag, final long value)
    {
        if (value < 0)
        {
            throw new IllegalArgumentException(tag + " = " + value + " is negative");
        }
        values[tag.tag()] = value;
        validMask |= tag.bit();
        return this;
    }

    /**
     * @param kib the floor the guest declares it needs, KiB (0 = none).
     * @return this sample.
     */
    public BalloonStatsSample floorKib(final long kib)
    {
        floorKib = Math.max(0, kib);
        return this;
    }

    /**
     * @param kib the guest's working set estimate, KiB.
     * @return this sample.
     */
    public BalloonStatsSample workingSetKib(final long kib)
    {
        workingSetKib = Math.max(0, kib);
        return this;
    }

    /**
     * @param kib the cooperative request ({@link BalloonStatsDescriptor#REQUEST_KIB_OFFSET}): more
     *            than 0 asks for that much above this sample's total, less than 0 volunteers that
     *            much back, 0 asks for nothing.
     * @return this sample.
     */
    public BalloonStatsSample requestKib(final long kib)
    {
        requestKib = kib;
        return this;
    }

    /** @param tag a tag. @return its value (0 when not set). */
    public long value(final StatTag tag)
    {
        return values[tag.tag()];
    }

    /** @return the validity mask. */
    public long validMask()
    {
        return validMask;
    }

    /** @return the floor, KiB. */
    public long floorKib()
    {
        return floorKib;
    }

    /** @return the working set estimate, KiB. */
    public long workingSetKib()
    {
        return workingSetKib;
    }

    /** @return the cooperative request, KiB (signed). */
    public long requestKib()
    {
        return requestKib;
    }
}
