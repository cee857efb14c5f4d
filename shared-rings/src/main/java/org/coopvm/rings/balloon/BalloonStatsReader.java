package org.coopvm.rings.balloon;

import org.coopvm.rings.mem.Seqlock;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

import static org.coopvm.rings.balloon.BalloonStatsDescriptor.*;

/**
 * dom0 side of a guest's balloon stats region: copies the fields once under the sequence lock
 * (bounded attempts, never waits on the guest), validates the copy, and classifies it as
 * {@link StatsFreshness#FRESH fresh}, {@link StatsFreshness#STALE stale} (valid but older than
 * {@code stalePeriods} of the guest's own period), {@link StatsFreshness#INVALID invalid} (with a
 * {@link StatsProblem}) or {@link StatsFreshness#NONE none} (never published).
 *
 * <p>The guest can write anything into the region, at any time. Validation: period within
 * 10..60000 ms; only known tag bits; sequence not behind the last accepted one, and data not
 * changed without a new sequence; publish time not ahead of dom0's clock by more than the
 * tolerance and not behind the last accepted publish; free, total, available, caches, floor and
 * working set within maxmem; the request's size (either sign) within maxmem; free, available and
 * caches within total; cumulative counters not
 * decreasing. The last accepted copy is the baseline for the next read; a rejected copy is not.
 * Even valid stats are claims: use them for policy and display, never for a safety decision
 * (reservations, the pool and maxmem come from the host's own books).
 *
 * <p>Thread safety: one thread (it keeps the last accepted copy).
 */
public final class BalloonStatsReader
{
    /** Default: stale after this many of the guest's periods without a new publish. */
    public static final int DEFAULT_STALE_PERIODS = 3;
    /** Default: how far ahead of dom0's clock a publish time may be (clock reads race). */
    public static final long DEFAULT_FUTURE_TOLERANCE_NS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Attempts at a consistent copy before the read counts as torn. */
    public static final int MAX_READ_ATTEMPTS = 64;

    private final int stalePeriods;
    private final long futureToleranceNs;
    private final long[] values = new long[StatTag.COUNT];
    private MemorySegment payload;
    private BalloonStats accepted;

    /** A reader with the default stale limit and clock tolerance. */
    public BalloonStatsReader()
    {
        this(DEFAULT_STALE_PERIODS, DEFAULT_FUTURE_TOLERANCE_NS);
    }

    /**
     * @param stalePeriods      stats older than this many of the guest's periods are stale, >= 1.
     * @param futureToleranceNs how far ahead of dom0's clock a publish time may be, >= 0.
     */
    public BalloonStatsReader(final int stalePeriods, final long futureToleranceNs)
    {
        if (stalePeriods < 1 || futureToleranceNs < 0)
        {
            throw new IllegalArgumentException("need stalePeriods >= 1 and futureToleranceNs >= 0: " + stalePeriods + ", " + futureToleranceNs);
        }
        this.stalePeriods = stalePeriods;
        this.futureToleranceNs = futureToleranceNs;
    }

    /**
     * @param statsPayload the BALLOON_STATS region's payload (the host's mapping).
     * @return this reader, with no accepted copy.
     */
    public BalloonStatsReader wrap(final MemorySegment statsPayload)
    {
        if (statsPayload.byteSize() < USED_LENGTH)
        {
            throw new IllegalArgumentException("balloon stats payload shorter than " + USED_LENGTH + " bytes");
        }
        this.payload = statsPayload;
        this.accepted = null;
        return this;
    }

    /** @return the segment this reader reads. */
    public MemorySegment payload()
    {
        return payload;
    }

    /**
     * Copy, validate and classify the stats.
     *
     * @param nowNs     dom0's clock, CLOCK_MONOTONIC ns ({@code System.nanoTime()}).
     * @param maxmemKib the domain's maxmem from the host's books.
     * @return the classification; values only when fresh or stale.
     */
    public BalloonStatsRead read(final long nowNs, final long maxmemKib)
    {
        final BalloonStats copy;
        try
        {
            copy = copyConsistent();
        }
        catch (final IllegalStateException ex)
        {
            return new BalloonStatsRead(StatsFreshness.NONE, StatsProblem.UNMAPPED, "stats region unmapped", null, -1);
        }
        if (copy == null)
        {
            return BalloonStatsRead.invalid(StatsProblem.TORN, "no consistent copy in " + MAX_READ_ATTEMPTS + " attempts");
        }
        if (copy.sequence() == 0)
        {
            return BalloonStatsRead.NONE;
        }
        final BalloonStatsRead rejected = new StatsValidation(copy, accepted, nowNs, maxmemKib, futureToleranceNs).check();
        if (rejected != null)
        {
            return rejected;
        }
        accepted = copy;
        final long ageNs = Math.max(0, nowNs - copy.publishNs());
        final boolean stale = ageNs > TimeUnit.MILLISECONDS.toNanos((long)stalePeriods * copy.periodMs());
        return new BalloonStatsRead(stale ? StatsFreshness.STALE : StatsFreshness.FRESH, StatsProblem.NONE, "", copy, ageNs);
    }

    /** @return the last accepted copy, {@code null} before the first. */
    public BalloonStats lastAccepted()
    {
        return accepted;
    }

    /** @return a consistent copy, {@code null} when torn; throws IllegalStateException when unmapped. */
    private BalloonStats copyConsistent()
    {
        for (int attempt = 0; attempt < MAX_READ_ATTEMPTS; attempt++)
        {
            final int begin = Seqlock.readBegin(payload, SEQUENCE_OFFSET);
            if (!Seqlock.isWriting(begin))
            {
                final int periodMs = payload.get(ValueLayout.JAVA_INT, PERIOD_OFFSET);
                final long publishNs = payload.get(ValueLayout.JAVA_LONG, PUBLISH_TIME_OFFSET);
                final long mask = payload.get(ValueLayout.JAVA_LONG, VALID_MASK_OFFSET);
                final long floorKib = payload.get(ValueLayout.JAVA_LONG, FLOOR_KIB_OFFSET);
                final long workingSetKib = payload.get(ValueLayout.JAVA_LONG, WORKING_SET_KIB_OFFSET);
                final long requestKib = payload.get(ValueLayout.JAVA_LONG, REQUEST_KIB_OFFSET);
                MemorySegment.copy(payload, ValueLayout.JAVA_LONG, VALUES_OFFSET, values, 0, StatTag.COUNT);
                if (Seqlock.readValid(payload, SEQUENCE_OFFSET, begin))
                {
                    return new BalloonStats(begin, periodMs, publishNs, mask, floorKib, workingSetKib, requestKib, values);
                }
            }
            Seqlock.backOff(attempt);
        }
        return null;
    }
}
