package org.coopvm.balloon.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Everything a policy sees in one round: the time, the host pool and every guest domain
 * (sorted by domid, each once).
 *
 * @param timeNs  the engine's clock when the round started.
 * @param host    the host pool.
 * @param domains the guest domains, sorted by domid.
 *
 * <p>Thread safety: immutable.
 */
public record BalloonSnapshot(long timeNs, HostPool host, List<DomainView> domains)
{
    /** Validate; sorts the domains by domid and rejects a domid seen twice. */
    public BalloonSnapshot
    {
        Objects.requireNonNull(host, "host");
        final List<DomainView> sorted = new ArrayList<>(Objects.requireNonNull(domains, "domains"));
        sorted.sort(Comparator.comparingInt(DomainView::domid));
        for (int i = 1; i < sorted.size(); i++)
        {
            if (sorted.get(i).domid() == sorted.get(i - 1).domid())
            {
                throw new IllegalArgumentException("domain " + sorted.get(i).domid() + " appears twice in the snapshot");
            }
        }
        domains = List.copyOf(sorted);
    }

    /**
     * @param domid a domain id.
     * @return its view, or null when the snapshot does not hold it.
     */
    public DomainView domain(final int domid)
    {
        for (final DomainView view : domains)
        {
            if (view.domid() == domid)
            {
                return view;
            }
        }
        return null;
    }
}
