package org.coopvm.rings.balloon;

import org.coopvm.rings.mem.Seqlock;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.coopvm.rings.balloon.BalloonStatsDescriptor.*;

/**
 * Guest side of the balloon stats region: publishes a {@link BalloonStatsSample} under the
 * sequence lock (BalloonStatsDescriptor).
 *
 * <p>Thread safety: one writer thread per region (the guest kernel's stats publisher task).
 */
public final class BalloonStatsWriter
{
    private MemorySegment payload;
    private int publishes;

    /**
     * @param statsPayload the BALLOON_STATS region's payload.
     * @return this writer.
     */
    public BalloonStatsWriter wrap(final MemorySegment statsPayload)
    {
        if (statsPayload.byteSize() < USED_LENGTH)
        {
            throw new IllegalArgumentException("balloon stats payload shorter than " + USED_LENGTH + " bytes");
        }
        this.payload = statsPayload;
        return this;
    }

    /**
     * Publish one sample.
     *
     * @param sample    what to publish.
     * @param nowNs     the publish time, {@code System.nanoTime()} (CLOCK_MONOTONIC).
     * @param periodMs  the guest's publish period, {@link BalloonStatsDescriptor#MIN_PERIOD_MS}..{@link BalloonStatsDescriptor#MAX_PERIOD_MS}.
     * @return the new (even) sequence.
     */
    public int publish(final BalloonStatsSample sample, final long nowNs, final int periodMs)
    {
        final int odd = Seqlock.beginWrite(payload, SEQUENCE_OFFSET);
        payload.set(ValueLayout.JAVA_INT, PERIOD_OFFSET, periodMs);
        payload.set(ValueLayout.JAVA_LONG, PUBLISH_TIME_OFFSET, nowNs);
        payload.set(ValueLayout.JAVA_LONG, VALID_MASK_OFFSET, sample.validMask());
        payload.set(ValueLayout.JAVA_LONG, FLOOR_KIB_OFFSET, sample.floorKib());
        payload.set(ValueLayout.JAVA_LONG, WORKING_SET_KIB_OFFSET, sample.workingSetKib());
        payload.set(ValueLayout.JAVA_LONG, REQUEST_KIB_OFFSET, sample.requestKib());
        for (final StatTag tag : StatTag.values())
        {
            payload.set(ValueLayout.JAVA_LONG, valueOffset(tag), sample.value(tag));
        }
        publishes++;
        return Seqlock.endWrite(payload, SEQUENCE_OFFSET, odd);
    }

    /** @return samples published through this writer. */
    public int publishes()
    {
        return publishes;
    }
}
