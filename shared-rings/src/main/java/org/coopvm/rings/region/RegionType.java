package org.coopvm.rings.region;

/**
 * What a region holds, stored as a u32 code in its header so that attaching a region of one
 * kind as another fails clearly instead of misreading it.
 *
 * <p>Codes are part of the ABI: never renumber, only add.
 */
public enum RegionType
{
    /** Raw pages with no further structure (tests, scratch memory). */
    RAW(1),
    /** Xen {@code io/ring.h} request/response rings, one per payload page run. */
    XEN_RING(2),
    /** A variable-length message channel on an Agrona ring buffer. */
    MESSAGE_CHANNEL(3),
    /** Doorbells (futex words) and peer liveness slots; also the host-wide hypercall doorbell. */
    DOORBELL(4),
    /** A domain's start info: what the guest kernel needs to boot (StartInfoDescriptor). */
    START_INFO(5),
    /** A domain's shared info: event channel bitmaps and vcpu_info (SharedInfoDescriptor). */
    SHARED_INFO(6),
    /** A domain's v1 grant table entries (GrantEntryDescriptor). */
    GRANT_TABLE(7),
    /** A domain's memory: one page per frame, sparse until touched. */
    GUEST_MEMORY(8),
    /** A domain's xenstore ring page (XenstoreInterfaceDescriptor). */
    XENSTORE(9),
    /** The host-wide usage page every guest maps read-only (UsagePageDescriptor). */
    USAGE(10),
    /** A domain's balloon statistics, written by the guest, read by dom0 (BalloonStatsDescriptor). */
    BALLOON_STATS(11);

    private final int code;

    RegionType(final int code)
    {
        this.code = code;
    }

    /** @return the u32 stored in the header's type field. */
    public int code()
    {
        return code;
    }

    /**
     * @param code the u32 read from a header.
     * @return the type with that code, or {@code null} when the code is unknown.
     */
    public static RegionType fromCode(final int code)
    {
        for (final RegionType type : values())
        {
            if (type.code == code)
            {
                return type;
            }
        }
        return null;
    }
}
