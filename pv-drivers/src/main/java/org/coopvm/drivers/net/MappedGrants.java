package org.coopvm.drivers.net;

import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.AtomicBuffer;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.grant.GrantMapping;

/**
 * The guest pages one vif direction keeps mapped, by grant reference (netfront grants its tx and
 * rx buffers once and reuses them, so each is mapped once: a grant the guest cannot end while
 * mapped, which is what keeps a ref pointing at the same page). At most {@code max} are kept;
 * beyond that a page is mapped for one frame and unmapped after it.
 *
 * <p>Not thread safe: the vif's agent only.
 */
final class MappedGrants implements AutoCloseable
{
    private final Hypervisor hypervisor;
    private final int domid;
    private final boolean readonly;
    private final int max;
    private final Int2ObjectHashMap<GrantMapping> kept = new Int2ObjectHashMap<>();
    private GrantMapping transientMapping;

    MappedGrants(final Hypervisor hypervisor, final int domid, final boolean readonly, final int max)
    {
        this.hypervisor = hypervisor;
        this.domid = domid;
        this.readonly = readonly;
        this.max = max;
    }

    /**
     * @param gref the guest's grant reference.
     * @return the page, or {@code null} when the grant does not map; valid until {@link #releaseTransient}.
     */
    AtomicBuffer page(final int gref)
    {
        final GrantMapping known = kept.get(gref);
        if (known != null)
        {
            return known.page();
        }
        final Hypervisor.MapResult result = hypervisor.dom0Map(domid, gref, readonly);
        if (result.status() != 0)
        {
            return null;
        }
        if (kept.size() < max)
        {
            kept.put(gref, result.mapping());
        }
        else
        {
            transientMapping = result.mapping();
        }
        return result.mapping().page();
    }

    /** Unmap the page mapped for one frame, if any. */
    void releaseTransient()
    {
        if (transientMapping != null)
        {
            hypervisor.dom0Unmap(transientMapping.handle());
            transientMapping = null;
        }
    }

    /** @return pages kept mapped. */
    int mapped()
    {
        return kept.size();
    }

    @Override
    public void close()
    {
        releaseTransient();
        kept.values().forEach(mapping -> hypervisor.dom0Unmap(mapping.handle()));
        kept.clear();
    }
}
