package org.coopvm.hypervisor.grant;

import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainCounter;
import org.coopvm.hypervisor.domain.DomainTable;
import org.coopvm.rings.hypercall.EventChannelOpDescriptor;
import org.coopvm.rings.mem.Pages;

import static org.coopvm.rings.grant.GrantStatus.*;
import static org.coopvm.rings.hypercall.GrantTableOpDescriptor.GNTCOPY_DEST_GREF;
import static org.coopvm.rings.hypercall.GrantTableOpDescriptor.GNTCOPY_SOURCE_GREF;

/**
 * Grant table operations with Xen's checks: setup and query the table size, map a granted page
 * (a handle, plus a bounds-checked view of exactly that page of the granter's memory), unmap,
 * and copy between granted pages and the caller's own frames without ever crossing a page.
 * Whatever a domain maps pins the granter's entry (GTF_reading/GTF_writing), so the granter
 * cannot revoke it until it is unmapped; a dying granter's memory is kept until then. Only
 * populated frames can be mapped or copied ({@code GNTST_bad_page} otherwise), and a mapped
 * frame cannot be given back ({@code decrease_reservation} stops there with {@code -EBUSY}).
 *
 * <p>Thread safety: under the hypervisor lock.
 */
public final class GrantTables
{
    /** Frames a new domain's table starts with (Xen grows it on GNTTABOP_setup_table). */
    public static final int INITIAL_FRAMES = 1;

    private final DomainTable domains;
    private final int maxHandles;
    private final GrantReleaseListener releaseListener;
    private final Int2ObjectHashMap<DomainGrants> grants = new Int2ObjectHashMap<>();

    /**
     * @param domains         the domain table.
     * @param maxHandles      most mappings one domain may hold at once.
     * @param releaseListener told when a dying granter's last foreign mapping goes.
     */
    public GrantTables(final DomainTable domains, final int maxHandles, final GrantReleaseListener releaseListener)
    {
        this.domains = domains;
        this.maxHandles = maxHandles;
        this.releaseListener = releaseListener;
        attach(domains.dom0());
    }

    /** @param domain a new domain: give it grant state. */
    public void attach(final Domain domain)
    {
        final int maxFrames = domain.spec() == null ? 0 : domain.spec().grantFrames();
        grants.put(domain.domid(), new DomainGrants(domain, maxFrames, INITIAL_FRAMES, maxHandles));
    }

    /**
     * GNTTABOP_setup_table: grow the caller's table.
     *
     * @param caller   the domain.
     * @param nrFrames frames wanted.
     * @return GNTST_okay, or GNTST_general_error beyond the maximum.
     */
    public int setupTable(final Domain caller, final int nrFrames)
    {
        return state(caller).grow(nrFrames) ? GNTST_OKAY : GNTST_GENERAL_ERROR;
    }

    /** @param domain a domain. @return frames of its table in use. */
    public int nrFrames(final Domain domain)
    {
        return state(domain).nrFrames();
    }

    /** @param domain a domain. @return most frames its table may have. */
    public int maxFrames(final Domain domain)
    {
        return state(domain).maxFrames();
    }

    /**
     * GNTTABOP_map_grant_ref.
     *
     * @param mapper     the domain mapping.
     * @param granterDom the granting domain (DOMID_SELF allowed).
     * @param ref        the grant reference.
     * @param readonly   read-only mapping.
     * @return the handle (0 or more), or a negative GNTST code: bad_domain, bad_gntref,
     *         general_error (type, grantee, read-only, unstable), bad_page, no_space.
     */
    public long map(final Domain mapper, final int granterDom, final int ref, final boolean readonly)
    {
        final Domain granter = granter(mapper, granterDom);
        if (granter == null)
        {
            return GNTST_BAD_DOMAIN;
        }
        final DomainGrants granterState = state(granter);
        if (!granterState.isRefInUse(ref))
        {
            return GNTST_BAD_GNTREF;
        }
        final DomainGrants mapperState = state(mapper);
        final int handle = mapperState.freeHandle();
        if (handle < 0)
        {
            return GNTST_NO_SPACE;
        }
        final long frame = granter.grantTable().acquire(ref, mapper.domid(), readonly, granter.spec().memoryPages());
        if (frame < 0)
        {
            return frame;
        }
        granterState.pin(ref, readonly);
        if (!granter.memory().physmap().isPopulated(frame))
        {
            granterState.unpin(ref, readonly);
            return GNTST_BAD_PAGE;
        }
        granterState.foreignMapped(1);
        granterState.frameMapped(frame, 1);
        mapperState.put(new GrantMapping(handle, mapper, granter, ref, frame, readonly, pageView(granter, frame)));
        mapper.increment(DomainCounter.GRANT_MAPS);
        return handle;
    }

    /**
     * @param mapper the domain holding the mapping.
     * @param handle its handle.
     * @return the mapping, or {@code null} for an unknown handle.
     */
    public GrantMapping mapping(final Domain mapper, final int handle)
    {
        return state(mapper).get(handle);
    }

    /**
     * GNTTABOP_unmap_grant_ref.
     *
     * @param mapper the domain holding the mapping.
     * @param handle its handle.
     * @return GNTST_okay, or GNTST_bad_handle.
     */
    public int unmap(final Domain mapper, final int handle)
    {
        final DomainGrants mapperState = state(mapper);
        final GrantMapping mapping = mapperState.get(handle);
        if (mapping == null)
        {
            return GNTST_BAD_HANDLE;
        }
        mapperState.remove(handle);
        final DomainGrants granterState = grants.get(mapping.granter().domid());
        if (granterState != null && granterState.domain() == mapping.granter())
        {
            granterState.unpin(mapping.ref(), mapping.readonly());
            granterState.foreignMapped(-1);
            granterState.frameMapped(mapping.frame(), -1);
            if (granterState.foreignMappings() == 0 && mapping.granter().isDying())
            {
                releaseListener.onLastForeignMappingGone(mapping.granter());
            }
        }
        return GNTST_OKAY;
    }

    /**
     * GNTTABOP_copy: each side is a grant ref of another domain (granted to the caller) or a
     * frame of the caller's own memory; offset + length must stay within each page.
     *
     * @param caller the copying domain (a guest; dom0 may copy only between grant refs).
     * @param copy   the arguments.
     * @return GNTST_okay, or bad_copy_arg, bad_domain, permission_denied, bad_gntref,
     *         general_error, bad_page.
     */
    public int copy(final Domain caller, final GrantCopy copy)
    {
        if (copy.length() < 0 || copy.srcOffset() < 0 || copy.dstOffset() < 0 ||
            copy.srcOffset() + copy.length() > Pages.PAGE_SIZE || copy.dstOffset() + copy.length() > Pages.PAGE_SIZE)
        {
            return GNTST_BAD_COPY_ARG;
        }
        final boolean srcGref = (copy.flags() & GNTCOPY_SOURCE_GREF) != 0;
        final boolean dstGref = (copy.flags() & GNTCOPY_DEST_GREF) != 0;
        final CopySide src = new CopySide();
        final int srcStatus = src.acquire(caller, copy.srcDom(), copy.srcRefOrFrame(), srcGref, true);
        if (srcStatus != GNTST_OKAY)
        {
            return srcStatus;
        }
        final CopySide dst = new CopySide();
        final int dstStatus = dst.acquire(caller, copy.dstDom(), copy.dstRefOrFrame(), dstGref, false);
        if (dstStatus == GNTST_OKAY)
        {
            dst.page.putBytes(copy.dstOffset(), src.page, copy.srcOffset(), copy.length());
            dst.release();
            caller.increment(DomainCounter.GRANT_COPIES);
        }
        src.release();
        return dstStatus;
    }

    /**
     * Release what a dying domain holds: unmap all its mappings (un-pinning other domains' refs).
     *
     * @param domain the dying domain.
     */
    public void releaseMappingsOf(final Domain domain)
    {
        final DomainGrants state = grants.get(domain.domid());
        if (state == null)
        {
            return;
        }
        for (final GrantMapping mapping : state.handles())
        {
            if (mapping != null)
            {
                unmap(domain, mapping.handle());
            }
        }
    }

    /**
     * @param granter a domain.
     * @return how many mappings of its pages other domains hold.
     */
    public int foreignMappingsOf(final Domain granter)
    {
        final DomainGrants state = grants.get(granter.domid());
        return state == null ? 0 : state.foreignMappings();
    }

    /**
     * @param granter a domain ({@code null}: none).
     * @param frame   one of its frames.
     * @return whether another domain maps that frame now (it cannot be given back meanwhile).
     */
    public boolean isFrameMapped(final Domain granter, final long frame)
    {
        final DomainGrants state = granter == null ? null : grants.get(granter.domid());
        return state != null && state.domain() == granter && state.isFrameMapped(frame);
    }

    /**
     * @param mapper a domain.
     * @return how many mappings it holds.
     */
    public int mappingsHeldBy(final Domain mapper)
    {
        final DomainGrants state = grants.get(mapper.domid());
        return state == null ? 0 : state.mappings();
    }

    /** @param domain a domain fully reclaimed: forget its grant state. */
    public void forget(final Domain domain)
    {
        final DomainGrants state = grants.get(domain.domid());
        if (state != null && state.domain() == domain)
        {
            grants.remove(domain.domid());
        }
    }

    private Domain granter(final Domain mapper, final int granterDom)
    {
        final Domain granter = domains.resolve(mapper, granterDom);
        return granter == null || granter.isControlDomain() || granter.isDying() ? null : granter;
    }

    private DomainGrants state(final Domain domain)
    {
        final DomainGrants state = grants.get(domain.domid());
        if (state == null)
        {
            throw new IllegalStateException(domain + " has no grant state");
        }
        return state;
    }

    private static AtomicBuffer pageView(final Domain granter, final long frame)
    {
        return new UnsafeBuffer(granter.regions().memory().payloadBuffer(), (int)(frame * Pages.PAGE_SIZE), Pages.PAGE_SIZE);
    }

    /** One side of a copy: a pinned grant ref or a frame of the caller's memory. */
    private final class CopySide
    {
        private DomainGrants pinned;
        private int pinnedRef;
        private boolean pinnedReadonly;
        private AtomicBuffer page;

        int acquire(final Domain caller, final int dom, final long refOrFrame, final boolean gref, final boolean readonly)
        {
            return gref ? acquireGrant(caller, dom, refOrFrame, readonly) : ownFrame(caller, dom, refOrFrame);
        }

        void release()
        {
            if (pinned != null)
            {
                pinned.unpin(pinnedRef, pinnedReadonly);
                pinned = null;
            }
        }

        private int acquireGrant(final Domain caller, final int dom, final long ref, final boolean readonly)
        {
            final Domain granter = granter(caller, dom);
            if (granter == null)
            {
                return GNTST_BAD_DOMAIN;
            }
            final DomainGrants state = state(granter);
            if (ref > Integer.MAX_VALUE || !state.isRefInUse((int)ref))
            {
                return GNTST_BAD_GNTREF;
            }
            final long frame = granter.grantTable().acquire((int)ref, caller.domid(), readonly, granter.spec().memoryPages());
            if (frame < 0)
            {
                return (int)frame;
            }
            state.pin((int)ref, readonly);
            pinned = state;
            pinnedRef = (int)ref;
            pinnedReadonly = readonly;
            if (!granter.memory().physmap().isPopulated(frame))
            {
                release();
                return GNTST_BAD_PAGE;
            }
            page = pageView(granter, frame);
            return GNTST_OKAY;
        }

        private int ownFrame(final Domain caller, final int dom, final long frame)
        {
            if (dom != EventChannelOpDescriptor.DOMID_SELF && dom != caller.domid())
            {
                return GNTST_PERMISSION_DENIED;
            }
            if (caller.isControlDomain())
            {
                return GNTST_BAD_DOMAIN;
            }
            if (!caller.memory().physmap().isPopulated(frame))
            {
                return GNTST_BAD_PAGE;
            }
            page = pageView(caller, frame);
            return GNTST_OKAY;
        }
    }
}
