package org.coopvm.hypervisor.domain;

import org.agrona.collections.Int2ObjectHashMap;
import org.coopvm.rings.hypercall.EventChannelOpDescriptor;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The domains of a host: dom0 (the host itself, id 0) and guests with ids from 1, handed out in
 * increasing order (wrapping below Xen's first reserved id), so that a destroyed domain's id is
 * not reused at once.
 *
 * <p>Thread safety: under the hypervisor lock.
 */
public final class DomainTable
{
    /** Largest guest domid (Xen's DOMID_FIRST_RESERVED - 1). */
    public static final int MAX_DOMID = 0x7FEF;

    private final Int2ObjectHashMap<Domain> byId = new Int2ObjectHashMap<>();
    private final Domain dom0 = Domain.controlDomain();
    private Domain[] guests = new Domain[0];
    private int nextDomid = 1;

    /** @return dom0. */
    public Domain dom0()
    {
        return dom0;
    }

    /**
     * @return a free domid.
     * @throws IllegalStateException when every id is taken.
     */
    public int allocateDomid()
    {
        for (int tries = 0; tries < MAX_DOMID; tries++)
        {
            final int candidate = nextDomid;
            nextDomid = nextDomid == MAX_DOMID ? 1 : nextDomid + 1;
            if (!byId.containsKey(candidate))
            {
                return candidate;
            }
        }
        throw new IllegalStateException("no free domid");
    }

    /** @param domain a new guest domain, its id allocated here. */
    public void add(final Domain domain)
    {
        byId.put(domain.domid(), domain);
        rebuild();
    }

    /** @param domid the domain to forget. */
    public void remove(final int domid)
    {
        if (byId.remove(domid) != null)
        {
            rebuild();
        }
    }

    /**
     * @param domid a domain id (0 for dom0).
     * @return the domain, or {@code null}.
     */
    public Domain lookup(final int domid)
    {
        return domid == Domain.DOM0 ? dom0 : byId.get(domid);
    }

    /**
     * Resolve a domid a guest passed, with DOMID_SELF meaning the caller.
     *
     * @param caller the calling domain.
     * @param domid  the id it passed.
     * @return the domain, or {@code null} when there is none.
     */
    public Domain resolve(final Domain caller, final int domid)
    {
        return domid == EventChannelOpDescriptor.DOMID_SELF ? caller : lookup(domid);
    }

    /**
     * @param name a domain name.
     * @return the live (not dying) guest with that name: a dying domain's name is free again.
     */
    public Optional<Domain> byName(final String name)
    {
        for (final Domain domain : guests)
        {
            if (!domain.isDying() && domain.name().equals(name))
            {
                return Optional.of(domain);
            }
        }
        return Optional.empty();
    }

    /** @return the guests, in domid order (a fresh array per change: do not modify). */
    public Domain[] guests()
    {
        return guests;
    }

    /** @return the guests as a list. */
    public List<Domain> guestList()
    {
        return List.of(guests);
    }

    private void rebuild()
    {
        final List<Domain> list = new ArrayList<>(byId.values());
        list.sort((a, b) -> Integer.compare(a.domid(), b.domid()));
        guests = list.toArray(new Domain[0]);
    }
}
