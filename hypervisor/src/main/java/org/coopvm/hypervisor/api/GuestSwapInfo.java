package org.coopvm.hypervisor.api;

/**
 * A domain's swap traffic as its guest claims it in its balloon stats (virtio-balloon's swap-in,
 * swap-out and major-fault tags, from the last copy dom0 accepted), part of {@link DomainInfo}:
 * what a balloon policy's squeeze costs the guest. Claims, not measurements.
 *
 * @param swapInKib   memory swapped in since the guest booted, KiB.
 * @param swapOutKib  memory swapped out since the guest booted, KiB.
 * @param majorFaults accesses that waited for a page from swap, since the guest booted.
 *
 * <p>Thread safety: immutable.
 */
public record GuestSwapInfo(long swapInKib, long swapOutKib, long majorFaults)
{
    /** @return the short form {@code coop list} shows: MiB swapped in and out, e.g. {@code 12.5/40.0}. */
    public String summary()
    {
        return String.format(java.util.Locale.ROOT, "%.1f/%.1f", swapInKib / 1024.0, swapOutKib / 1024.0);
    }
}
