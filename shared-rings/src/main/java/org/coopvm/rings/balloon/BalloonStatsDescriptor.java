package org.coopvm.rings.balloon;

import org.coopvm.rings.mem.Pages;
import org.coopvm.rings.region.RegionType;

/**
 * Layout of a {@link RegionType#BALLOON_STATS} region's payload: one domain's memory statistics,
 * file {@code <run>/dom<N>/balloon-stats}, created by dom0, written by the guest at its stats
 * period, read by dom0 (the role of virtio-balloon's stats queue). Offsets are from the start of
 * the payload; the payload is one page.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |        sequence (u32): odd while the guest writes, +2 a publish|    0
 *  +---------------------------------------------------------------+
 *  |        period ms (u32), 10..60000                             |    4
 *  +---------------------------------------------------------------+
 *  |        publish time, ns on CLOCK_MONOTONIC (u64)              |    8
 *  +---------------------------------------------------------------+
 *  |        validity mask (u64): bit t = value of tag t is set     |   16
 *  +---------------------------------------------------------------+
 *  |        floor the guest declares, KiB (u64), 0 = none          |   24
 *  +---------------------------------------------------------------+
 *  |        working set estimate, KiB (u64)                        |   32
 *  +---------------------------------------------------------------+
 *  |        cooperative request, KiB (i64): > 0 asks for that much |   40
 *  |        more than total, < 0 volunteers that much, 0 none      |
 *  +---------------------------------------------------------------+
 *  |        reserved, zero (16 bytes)                              |   48..63
 *  +---------------------------------------------------------------+
 *  |        values u64[16], indexed by virtio tag (StatTag)        |   64..191
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Sequence lock ({@link org.coopvm.rings.mem.Seqlock}): the guest makes the sequence odd
 * (store, StoreStore fence), writes every field, then stores the next even value with release,
 * so each publish adds 2 and the sequence also numbers the publishes. dom0 loads it with acquire,
 * copies the fields, LoadLoad fence, loads it again, and keeps the copy only when both loads saw
 * the same even value; after a bounded number of attempts it classifies the stats as invalid
 * (torn) instead of waiting.
 *
 * <p>The publish time is {@code System.nanoTime()} of the guest: on Linux HotSpot reads
 * {@code CLOCK_MONOTONIC} with no per-process origin, so it is comparable with dom0's
 * {@code System.nanoTime()} on the same machine (and time namespace).
 *
 * <p>Everything here is the guest's claim. dom0 copies it once, validates the copy (values
 * and the size of the request within maxmem, sequence and timestamps moving forward, counters
 * not shrinking, timestamp not in the future) and uses it for policy and display only:
 * reservations, the pool and maxmem are enforced from the host's own books, never from these
 * numbers. A request is a wish the {@code cooperative} balloon policy weighs; granting it still
 * goes through the pool and maxmem.
 */
public final class BalloonStatsDescriptor
{
    /** Offset of the sequence (u32): odd during a write, 0 before the first publish. */
    public static final int SEQUENCE_OFFSET = 0;
    /** Offset of the guest's publish period in ms (u32). */
    public static final int PERIOD_OFFSET = 4;
    /** Offset of the publish time (u64), ns on CLOCK_MONOTONIC. */
    public static final int PUBLISH_TIME_OFFSET = 8;
    /** Offset of the validity mask (u64): bit t set means the value of tag t is meaningful. */
    public static final int VALID_MASK_OFFSET = 16;
    /** Offset of the floor the guest declares it needs, KiB (u64); 0 = none declared. */
    public static final int FLOOR_KIB_OFFSET = 24;
    /** Offset of the guest's working set estimate, KiB (u64). */
    public static final int WORKING_SET_KIB_OFFSET = 32;
    /**
     * Offset of the guest's cooperative request, KiB (i64, signed): more than 0 asks for that much
     * memory above the total of the same publish, less than 0 volunteers that much back, 0 asks
     * for nothing. dom0 accepts |request| up to the domain's maxmem.
     */
    public static final int REQUEST_KIB_OFFSET = 40;
    /** Offset of the values, u64[{@link StatTag#COUNT}] indexed by tag. */
    public static final int VALUES_OFFSET = 64;
    /** Bytes in use. */
    public static final int USED_LENGTH = VALUES_OFFSET + StatTag.COUNT * Long.BYTES;
    /** Payload length: one page. */
    public static final int PAYLOAD_LENGTH = Pages.PAGE_SIZE;

    /** Shortest publish period a guest may declare. */
    public static final int MIN_PERIOD_MS = 10;
    /** Longest publish period a guest may declare. */
    public static final int MAX_PERIOD_MS = 60_000;
    /** Every tag's bit. */
    public static final long KNOWN_TAGS_MASK = (1L << StatTag.COUNT) - 1;

    private BalloonStatsDescriptor()
    {
    }

    /**
     * @param tag a stat tag.
     * @return the payload offset of its value.
     */
    public static int valueOffset(final StatTag tag)
    {
        return VALUES_OFFSET + tag.tag() * Long.BYTES;
    }
}
