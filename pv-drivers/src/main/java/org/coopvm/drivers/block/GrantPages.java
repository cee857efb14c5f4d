package org.coopvm.drivers.block;

import org.agrona.collections.Int2ObjectHashMap;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.grant.GrantMapping;

/**
 * The guest pages one ring's requests name, mapped into dom0 ({@link Hypervisor#dom0Map}).
 * With persistent grants (both ends wrote {@code feature-persistent = 1}) a gref is mapped once,
 * writable, and kept until the device disconnects, up to {@link #maxPersistent()} of them (then
 * grefs are mapped for one request as without the feature); this is what saves a map and an unmap
 * per page. Other mappings are made for one request (read-only when the backend only reads the
 * page) and undone by {@link #releaseTransient()}.
 *
 * <p>Not thread safe: the device's ring agent only ({@link #close} after it stopped).
 */
final class GrantPages implements AutoCloseable
{
    private static final int NO_HANDLE = -1;

    private final Hypervisor hypervisor;
    private final int domid;
    private final boolean persistent;
    private final int maxPersistent;
    private final VbdCounters counters;
    private final Int2ObjectHashMap<GrantMapping> kept = new Int2ObjectHashMap<>();
    private final int[] transientHandles;
    private int transientCount;

    /**
     * @param hypervisor    for dom0's map and unmap.
     * @param domid         the frontend's domain.
     * @param persistent    whether to keep mappings.
     * @param maxPersistent most mappings kept.
     * @param counters      the device's counters.
     * @param maxPerRequest most pages one request maps.
     */
    GrantPages(final Hypervisor hypervisor, final int domid, final boolean persistent, final int maxPersistent,
        final VbdCounters counters, final int maxPerRequest)
    {
        this.hypervisor = hypervisor;
        this.domid = domid;
        this.persistent = persistent;
        this.maxPersistent = maxPersistent;
        this.counters = counters;
        this.transientHandles = new int[maxPerRequest];
    }

    /**
     * @param gref          a grant reference the frontend named.
     * @param backendWrites whether dom0 writes the page (a read request).
     * @return the mapping, or {@code null} when the gref does not map.
     */
    GrantMapping map(final int gref, final boolean backendWrites)
    {
        if (persistent)
        {
            final GrantMapping known = kept.get(gref);
            if (known != null)
            {
                counters.add(VbdCounters.Value.PERSISTENT_HITS, 1);
                return known;
            }
            if (kept.size() < maxPersistent)
            {
                final Hypervisor.MapResult writable = hypervisor.dom0Map(domid, gref, false);
                if (writable.status() == 0)
                {
                    counters.add(VbdCounters.Value.GRANT_MAPS, 1);
                    kept.put(gref, writable.mapping());
                    return writable.mapping();
                }
            }
        }
        return mapForRequest(gref, !backendWrites);
    }

    /** Unmap what {@link #map} mapped for the current request only. */
    void releaseTransient()
    {
        for (int i = 0; i < transientCount; i++)
        {
            hypervisor.dom0Unmap(transientHandles[i]);
            transientHandles[i] = NO_HANDLE;
        }
        transientCount = 0;
    }

    /** @return mappings kept for later requests. */
    int persistentMappings()
    {
        return kept.size();
    }

    /** @return most mappings kept. */
    int maxPersistent()
    {
        return maxPersistent;
    }

    /** Unmap everything (the device disconnects). */
    @Override
    public void close()
    {
        releaseTransient();
        for (final GrantMapping mapping : kept.values())
        {
            hypervisor.dom0Unmap(mapping.handle());
        }
        kept.clear();
    }

    private GrantMapping mapForRequest(final int gref, final boolean readonly)
    {
        if (transientCount == transientHandles.length)
        {
            return null;
        }
        final Hypervisor.MapResult result = hypervisor.dom0Map(domid, gref, readonly);
        if (result.status() != 0)
        {
            return null;
        }
        counters.add(VbdCounters.Value.GRANT_MAPS, 1);
        transientHandles[transientCount++] = result.mapping().handle();
        return result.mapping();
    }
}
