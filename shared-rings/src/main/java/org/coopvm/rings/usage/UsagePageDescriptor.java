package org.coopvm.rings.usage;

import org.coopvm.rings.region.RegionType;

/**
 * Layout of the {@link RegionType#USAGE} region's payload: the usage page (DESIGN section 7).
 * One per host, file {@code <run>/usage}, written by dom0 at a fixed period and mapped read-only
 * by every guest. A 128-byte header, then {@code capacity} entries of
 * {@link UsageEntryDescriptor#ENTRY_LENGTH} bytes, one per domain in domid order (the first
 * {@code count} are in use). Memory is in KiB throughout, as Xen's {@code memory/target}.
 * Offsets are from the start of the payload.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |        sequence (u32): odd while dom0 updates the page        |    0
 *  +---------------------------------------------------------------+
 *  |        entry length in bytes (u32), 128                       |    4
 *  +---------------------------------------------------------------+
 *  |        publish time, ns on the host's CLOCK_MONOTONIC (u64)   |    8
 *  +---------------------------------------------------------------+
 *  |        period ms (u32)                                        |   16
 *  +---------------------------------------------------------------+
 *  |        flags (u32): bit 0 truncated, bit 1 pool unknown       |   20
 *  +---------------------------------------------------------------+
 *  |        entry capacity (u32)                                   |   24
 *  +---------------------------------------------------------------+
 *  |        entry count (u32), at most the capacity                |   28
 *  +---------------------------------------------------------------+
 *  |        host pool total KiB (u64)                              |   32
 *  +---------------------------------------------------------------+
 *  |        host pool free KiB (u64)                               |   40
 *  +---------------------------------------------------------------+
 *  |        physical CPU slots (u32)                               |   48
 *  +---------------------------------------------------------------+
 *  |        host CPU load, permille of all slots (u32)             |   52
 *  +---------------------------------------------------------------+
 *  |        reserved, zero (72 bytes)                              |   56..127
 *  +---------------------------------------------------------------+
 *  |        entry 0 (128 bytes, UsageEntryDescriptor)              |  128
 *  |        entry 1 ...                                            |  256
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Sequence lock ({@link org.coopvm.rings.mem.Seqlock}): dom0 makes the sequence odd
 * (store, then a StoreStore fence), writes the header and the entries, then stores the next even
 * value with release. A reader loads the sequence with acquire, retries while it is odd, copies
 * the header and {@code count} entries to private memory, issues a LoadLoad fence and loads the
 * sequence again; the copy counts only if both loads saw the same even value. Readers give up
 * after a bounded number of attempts. Sequence 0 means "never published".
 */
public final class UsagePageDescriptor
{
    /** Offset of the sequence (u32): odd during an update, 0 before the first publish. */
    public static final int SEQUENCE_OFFSET = 0;
    /** Offset of the length of one entry in bytes (u32); readers check it. */
    public static final int ENTRY_LENGTH_FIELD_OFFSET = 4;
    /** Offset of the publish time (u64), ns on the host clock (CLOCK_MONOTONIC, comparable with a guest's). */
    public static final int PUBLISH_TIME_OFFSET = 8;
    /** Offset of the publish period in ms (u32). */
    public static final int PERIOD_OFFSET = 16;
    /** Offset of the flags (u32), see {@link #FLAG_TRUNCATED}. */
    public static final int FLAGS_OFFSET = 20;
    /** Offset of the number of entry slots (u32). */
    public static final int CAPACITY_OFFSET = 24;
    /** Offset of the number of entries in use (u32). */
    public static final int COUNT_OFFSET = 28;
    /** Offset of the host memory pool's size in KiB (u64). */
    public static final int POOL_TOTAL_OFFSET = 32;
    /** Offset of the host memory pool's unreserved part in KiB (u64). */
    public static final int POOL_FREE_OFFSET = 40;
    /** Offset of the number of physical CPU slots P (u32); 0 when the host has no CPU scheduler. */
    public static final int CPU_SLOTS_OFFSET = 48;
    /** Offset of the host CPU load over the last period: CPU charged to all domains, permille of all slots (u32). */
    public static final int CPU_LOAD_OFFSET = 52;
    /** Offset of the first entry. */
    public static final int ENTRIES_OFFSET = 128;
    /** Bytes of the header. */
    public static final int HEADER_LENGTH = ENTRIES_OFFSET;

    /** Flag: more domains exist than the page has entries; the ones with the highest domids are left out. */
    public static final int FLAG_TRUNCATED = 1;
    /** Flag: the host did not know its pool (the pool fields are 0). */
    public static final int FLAG_POOL_UNKNOWN = 1 << 1;

    /** Entries a usage page has by default: enough for 1024 domains. */
    public static final int DEFAULT_CAPACITY = 1024;
    /** Most entries a usage page may have: one per possible domid. */
    public static final int MAX_CAPACITY = 32768;

    private UsagePageDescriptor()
    {
    }

    /**
     * @param capacity entries.
     * @return payload bytes for that many entries (the region rounds up to pages).
     */
    public static long payloadLength(final int capacity)
    {
        return ENTRIES_OFFSET + (long)capacity * UsageEntryDescriptor.ENTRY_LENGTH;
    }

    /**
     * @param index an entry index.
     * @return the payload offset of that entry.
     */
    public static long entryOffset(final int index)
    {
        return ENTRIES_OFFSET + (long)index * UsageEntryDescriptor.ENTRY_LENGTH;
    }

    /**
     * @param payloadLength bytes of payload.
     * @return how many entries fit.
     */
    public static int capacityOf(final long payloadLength)
    {
        return (int)Math.min(MAX_CAPACITY, Math.max(0, (payloadLength - ENTRIES_OFFSET) / UsageEntryDescriptor.ENTRY_LENGTH));
    }
}
