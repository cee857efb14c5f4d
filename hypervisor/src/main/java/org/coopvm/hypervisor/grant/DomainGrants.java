package org.coopvm.hypervisor.grant;

import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2LongHashMap;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.rings.grant.GrantEntryDescriptor;

/**
 * One domain's grant state: its table size (frames in use, maximum), the mappings it holds
 * (by handle) and, as a granter, how many mappings pin each of its refs and map each of its
 * frames.
 *
 * <p>Thread safety: under the hypervisor lock.
 */
final class DomainGrants
{
    private final Domain domain;
    private final int maxFrames;
    private final GrantMapping[] handles;
    private final Int2ObjectHashMap<int[]> pins = new Int2ObjectHashMap<>();
    private final Long2LongHashMap mappedFrames = new Long2LongHashMap(0);
    private int nrFrames;
    private int mappings;
    private int foreignMappings;

    DomainGrants(final Domain domain, final int maxFrames, final int initialFrames, final int maxHandles)
    {
        this.domain = domain;
        this.maxFrames = maxFrames;
        this.nrFrames = Math.min(initialFrames, maxFrames);
        this.handles = new GrantMapping[maxHandles];
    }

    Domain domain()
    {
        return domain;
    }

    int nrFrames()
    {
        return nrFrames;
    }

    int maxFrames()
    {
        return maxFrames;
    }

    boolean grow(final int frames)
    {
        if (frames < 0 || frames > maxFrames)
        {
            return false;
        }
        nrFrames = Math.max(nrFrames, frames);
        return true;
    }

    boolean isRefInUse(final int ref)
    {
        return ref >= 0 && (long)ref < (long)nrFrames * GrantEntryDescriptor.ENTRIES_PER_FRAME;
    }

    /** @return a free handle, or -1. */
    int freeHandle()
    {
        for (int handle = 0; handle < handles.length; handle++)
        {
            if (handles[handle] == null)
            {
                return handle;
            }
        }
        return -1;
    }

    void put(final GrantMapping mapping)
    {
        handles[mapping.handle()] = mapping;
        mappings++;
    }

    GrantMapping get(final int handle)
    {
        return handle >= 0 && handle < handles.length ? handles[handle] : null;
    }

    void remove(final int handle)
    {
        handles[handle] = null;
        mappings--;
    }

    int mappings()
    {
        return mappings;
    }

    GrantMapping[] handles()
    {
        return handles;
    }

    /** Pin a ref of this (granter) domain: counts [all, writable]. */
    void pin(final int ref, final boolean readonly)
    {
        final int[] counts = pins.computeIfAbsent(ref, r -> new int[2]);
        counts[0]++;
        if (!readonly)
        {
            counts[1]++;
        }
    }

    /**
     * Unpin a ref and clear the in-use bits its last users set.
     *
     * @return whether the ref was pinned.
     */
    boolean unpin(final int ref, final boolean readonly)
    {
        final int[] counts = pins.get(ref);
        if (counts == null)
        {
            return false;
        }
        counts[0]--;
        if (!readonly)
        {
            counts[1]--;
        }
        domain.grantTable().release(ref, counts[0] == 0, counts[1] == 0);
        if (counts[0] == 0)
        {
            pins.remove(ref);
        }
        return true;
    }

    /** @param frame a frame of this (granter) domain another domain mapped (+1) or unmapped (-1). */
    void frameMapped(final long frame, final int delta)
    {
        final long count = mappedFrames.get(frame) + delta;
        if (count == 0)
        {
            mappedFrames.remove(frame);
        }
        else
        {
            mappedFrames.put(frame, count);
        }
    }

    /** @param frame a frame of this domain. @return whether another domain maps it now. */
    boolean isFrameMapped(final long frame)
    {
        return mappedFrames.get(frame) > 0;
    }

    int foreignMappings()
    {
        return foreignMappings;
    }

    void foreignMapped(final int delta)
    {
        foreignMappings += delta;
    }
}
