package org.coopvm.guest.grant;

import org.coopvm.guest.hypercall.GrantMapResult;
import org.coopvm.guest.hypercall.Hypercalls;
import org.coopvm.rings.hypercall.Errno;

/**
 * The grantee side: map a page another domain granted ({@code GNTTABOP_map_grant_ref}, then map
 * exactly that page locally through {@link ForeignMemory}) and unmap it again.
 *
 * <p>Thread safety: any thread (hypercalls from non-vCPU threads are routed through vCPU 0).
 */
public final class GrantMapper
{
    private final Hypercalls hypercalls;
    private final ForeignMemory foreignMemory;

    /**
     * @param hypercalls    the stubs.
     * @param foreignMemory how pages of other domains are reached.
     */
    public GrantMapper(final Hypercalls hypercalls, final ForeignMemory foreignMemory)
    {
        this.hypercalls = hypercalls;
        this.foreignMemory = foreignMemory;
    }

    /**
     * @param granter  the granting domain.
     * @param ref      its grant reference.
     * @param readonly map read-only.
     * @return the outcome; {@link MappedGrant#isMapped()} tells success.
     */
    public MappedGrant map(final int granter, final int ref, final boolean readonly)
    {
        final GrantMapResult mapped = hypercalls.grantMap(granter, ref, readonly);
        if (!mapped.isMapped())
        {
            return new MappedGrant(mapped.result(), mapped.status(), 0, granter, ref, 0, null);
        }
        try
        {
            final ForeignMapping mapping = foreignMemory.map(mapped.granter(), mapped.frame(), readonly);
            return new MappedGrant(0, 0, mapped.handle(), mapped.granter(), ref, mapped.frame(), mapping);
        }
        catch (final IllegalStateException ex)
        {
            hypercalls.grantUnmap(mapped.handle());
            return new MappedGrant(-Errno.EFAULT, mapped.status(), 0, granter, ref, mapped.frame(), null);
        }
    }

    /**
     * Unmap locally, then tell the hypervisor. No thread may use the page views afterwards.
     *
     * @param grant what {@link #map} returned with a mapping.
     * @return a {@code GNTST_*} status (0 = okay), or minus an errno.
     */
    public long unmap(final MappedGrant grant)
    {
        if (grant.mapping() == null)
        {
            return -Errno.EINVAL;
        }
        grant.mapping().close();
        return hypercalls.grantUnmap(grant.handle());
    }
}
