package org.coopvm.rings.usage;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A consistent private copy of the usage page: what dom0 published at {@link #publishNs()}.
 *
 * <p>Thread safety: immutable.
 *
 * @param sequence  the page's (even) sequence when copied; it grows by 2 per publish.
 * @param publishNs when dom0 published it, ns on the host's CLOCK_MONOTONIC ({@code System.nanoTime()} of any JVM on the host).
 * @param periodMs  dom0's publish period.
 * @param flags     {@code UsagePageDescriptor.FLAG_*} bits.
 * @param host      the host part.
 * @param domains   one entry per domain, in domid order.
 */
public record UsageSnapshot(int sequence, long publishNs, int periodMs, int flags, HostUsage host, List<DomainUsage> domains)
{
    /** Copies the list. */
    public UsageSnapshot
    {
        Objects.requireNonNull(host, "host");
        domains = List.copyOf(domains);
    }

    /**
     * @param domid a domain id.
     * @return its entry, empty when the page has none.
     */
    public Optional<DomainUsage> domain(final int domid)
    {
        for (final DomainUsage usage : domains)
        {
            if (usage.domid() == domid)
            {
                return Optional.of(usage);
            }
        }
        return Optional.empty();
    }

    /**
     * @param flag a {@code UsagePageDescriptor.FLAG_*} bit.
     * @return whether it is set.
     */
    public boolean hasFlag(final int flag)
    {
        return (flags & flag) != 0;
    }
}
