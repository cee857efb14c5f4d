package org.coopvm.rings.usage;

/**
 * The host part of the usage page.
 *
 * <p>Thread safety: immutable.
 *
 * @param poolTotalKib    the host memory pool, KiB (0 when unknown).
 * @param poolFreeKib     the part of the pool no domain holds, KiB (0 when unknown).
 * @param cpuSlots        physical CPU slots P (0 when the host has no CPU scheduler).
 * @param cpuLoadPermille CPU charged to all domains over the last period, permille of all slots (0..1000).
 */
public record HostUsage(long poolTotalKib, long poolFreeKib, int cpuSlots, int cpuLoadPermille)
{
    /** Nothing known. */
    public static final HostUsage UNKNOWN = new HostUsage(0, 0, 0, 0);

    /**
     * @param poolTotalKib the pool, KiB.
     * @param poolFreeKib  its free part, KiB.
     * @return the memory part only; the CPU fields 0.
     */
    public static HostUsage memory(final long poolTotalKib, final long poolFreeKib)
    {
        return new HostUsage(poolTotalKib, poolFreeKib, 0, 0);
    }
}
