package org.coopvm.balloon.policy;

/**
 * The host's memory pool as the hypervisor accounts it: its size and what no domain has reserved.
 *
 * @param totalKib the pool size.
 * @param freeKib  what is not reserved by any domain (total minus the sum of reservations).
 *
 * <p>Thread safety: immutable.
 */
public record HostPool(long totalKib, long freeKib)
{
    /** Validate: 0 <= free <= total. */
    public HostPool
    {
        if (totalKib < 0 || freeKib < 0 || freeKib > totalKib)
        {
            throw new IllegalArgumentException("host pool free " + freeKib + " KiB / total " + totalKib +
                " KiB: need 0 <= free <= total");
        }
    }

    /** @return free memory as a fraction of the pool (0 for an empty pool). */
    public double freeFraction()
    {
        return totalKib == 0 ? 0.0 : (double)freeKib / totalKib;
    }
}
