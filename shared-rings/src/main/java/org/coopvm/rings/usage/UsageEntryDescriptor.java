package org.coopvm.rings.usage;

/**
 * Layout of one 128-byte domain entry of the usage page ({@link UsagePageDescriptor}). Memory in
 * KiB. Offsets are from the start of the entry. The CPU fields (64..99) come from the host's CPU
 * scheduler; they read 0 for a domain it does not know.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |        domid (u32)                                            |    0
 *  +---------------------------------------------------------------+
 *  |        flags (u32): bit 0 paused, 1 shut down, 2 dying        |    4
 *  +---------------------------------------------------------------+
 *  |        memory current KiB (u64)                               |    8
 *  +---------------------------------------------------------------+
 *  |        memory target KiB (u64), 0 = unknown                   |   16
 *  +---------------------------------------------------------------+
 *  |        memory min (floor) KiB (u64), 0 = none                 |   24
 *  +---------------------------------------------------------------+
 *  |        memory max KiB (u64)                                   |   32
 *  +---------------------------------------------------------------+
 *  |        guest-reported free KiB (u64)                          |   40
 *  +---------------------------------------------------------------+
 *  |        guest-reported working set KiB (u64)                   |   48
 *  +---------------------------------------------------------------+
 *  |        stats age ms (u32), 0xFFFFFFFF = none                  |   56
 *  +---------------------------------------------------------------+
 *  |        stats state (u32): 0 none 1 fresh 2 stale 3 invalid    |   60
 *  +---------------------------------------------------------------+
 *  |        CPU weight (u32)                                       |   64
 *  +---------------------------------------------------------------+
 *  |        CPU cap, % of one CPU (u32), 0 = none                  |   68
 *  +---------------------------------------------------------------+
 *  |        CPU time used since creation, ns (u64)                 |   72
 *  +---------------------------------------------------------------+
 *  |        steal time (runnable + offline), ns (u64)              |   80
 *  +---------------------------------------------------------------+
 *  |        CPU usage last period, permille of a slot (u32)        |   88
 *  +---------------------------------------------------------------+
 *  |        runnable vCPUs now (u32)                               |   92
 *  +---------------------------------------------------------------+
 *  |        credit state (u32): best pri, worst pri, suspended    |   96
 *  +---------------------------------------------------------------+
 *  |        reserved, zero (28 bytes)                              |  100..127
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * The credit state packs the domain's vCPUs' priorities ({@link CpuPriority} codes: 1 BOOST, 2 UNDER,
 * 3 OVER, 4 IDLE, 5 PARKED; 0 unknown): bits 0..7 the best among them, bits 8..15 the worst, bit 16
 * set while the domain is suspended for ignoring preemption. Read it with {@link DomainCpu}.
 *
 * <p>The guest-reported fields come from the domain's balloon stats region: dom0 copies them only
 * when its {@code BalloonStatsReader} classified the stats fresh or stale (0 otherwise), and the
 * stats state and age say which. They are what the guest claims, not what the host measured.
 */
public final class UsageEntryDescriptor
{
    /** Offset of the domain id (u32). */
    public static final int DOMID_OFFSET = 0;
    /** Offset of the flags (u32), see {@link #FLAG_PAUSED}. */
    public static final int FLAGS_OFFSET = 4;
    /** Offset of the memory the domain holds now, KiB (u64). */
    public static final int CURRENT_KIB_OFFSET = 8;
    /** Offset of the balloon target ({@code memory/target}), KiB (u64); 0 when unknown. */
    public static final int TARGET_KIB_OFFSET = 16;
    /** Offset of the floor ({@code minmem}), KiB (u64); 0 when none. */
    public static final int MIN_KIB_OFFSET = 24;
    /** Offset of the hard cap ({@code maxmem}), KiB (u64). */
    public static final int MAX_KIB_OFFSET = 32;
    /** Offset of the guest-reported free memory, KiB (u64). */
    public static final int GUEST_FREE_KIB_OFFSET = 40;
    /** Offset of the guest-reported working set estimate, KiB (u64). */
    public static final int GUEST_WORKING_SET_KIB_OFFSET = 48;
    /** Offset of the age of the guest's stats at publish time, ms (u32), {@link #NO_STATS_AGE} when none. */
    public static final int STATS_AGE_OFFSET = 56;
    /** Offset of the stats state (u32), a {@code StatsFreshness} code. */
    public static final int STATS_STATE_OFFSET = 60;
    /** Offset of the credit scheduler weight (u32), 1..65535. */
    public static final int CPU_WEIGHT_OFFSET = 64;
    /** Offset of the CPU cap in % of one CPU (u32), 0 = none. */
    public static final int CPU_CAP_OFFSET = 68;
    /** Offset of the CPU time charged to the domain's vCPUs (their threads' CPU time), ns since creation (u64). */
    public static final int CPU_TIME_OFFSET = 72;
    /** Offset of the steal time (runnable + offline), ns since creation (u64). */
    public static final int STEAL_TIME_OFFSET = 80;
    /** Offset of the CPU usage over the last publish period in permille of one CPU slot (u32). */
    public static final int CPU_USAGE_OFFSET = 88;
    /** Offset of the number of vCPUs waiting for a slot now (runstate runnable) (u32). */
    public static final int RUNNABLE_VCPUS_OFFSET = 92;
    /** Offset of the credit state (u32): best and worst {@link CpuPriority} of its vCPUs, suspended bit. */
    public static final int CREDIT_STATE_OFFSET = 96;
    /** Credit state: mask of one priority code (bits 0..7 the best, 8..15 the worst). */
    public static final int CREDIT_STATE_PRIORITY_MASK = 0xFF;
    /** Credit state: where the worst priority starts. */
    public static final int CREDIT_STATE_WORST_SHIFT = 8;
    /** Credit state: the domain is suspended for ignoring preemption. */
    public static final int CREDIT_STATE_SUSPENDED = 1 << 16;
    /** Bytes of one entry. */
    public static final int ENTRY_LENGTH = 128;

    /** Flag: the toolstack paused the domain. */
    public static final int FLAG_PAUSED = 1;
    /** Flag: the domain is shut down (waiting for its shutdown action). */
    public static final int FLAG_SHUTDOWN = 1 << 1;
    /** Flag: the domain is being destroyed. */
    public static final int FLAG_DYING = 1 << 2;
    /** Stats age meaning "no stats". */
    public static final int NO_STATS_AGE = -1;

    private UsageEntryDescriptor()
    {
    }
}
