package org.coopvm.drivers.block;

import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.grant.GrantMapping;
import org.coopvm.rings.mem.Pages;

/**
 * A blkif ring's pages mapped into dom0, writable, as one buffer: the frontend granted
 * {@code 2^order} frames, which must follow each other in its memory (dom0 cannot make
 * scattered pages look contiguous, as Xen's backends do with {@code vmap}).
 *
 * <p>Not thread safe: made and released by the control agent.
 */
final class RingPages implements AutoCloseable
{
    private final Hypervisor hypervisor;
    private final GrantMapping[] mappings;
    private final UnsafeBuffer ring;

    private RingPages(final Hypervisor hypervisor, final GrantMapping[] mappings)
    {
        this.hypervisor = hypervisor;
        this.mappings = mappings;
        this.ring = new UnsafeBuffer(mappings[0].page().addressOffset(), mappings.length * Pages.PAGE_SIZE);
    }

    /**
     * @param hypervisor for dom0's map and unmap.
     * @param domid      the frontend's domain.
     * @param refs       one grant reference per page, in ring order.
     * @param problem    receives why it failed ({@code problem[0]}).
     * @return the mapped ring, or {@code null} (nothing stays mapped).
     */
    static RingPages map(final Hypervisor hypervisor, final int domid, final int[] refs, final String[] problem)
    {
        final GrantMapping[] mappings = new GrantMapping[refs.length];
        for (int page = 0; page < refs.length; page++)
        {
            final Hypervisor.MapResult result = hypervisor.dom0Map(domid, refs[page], false);
            if (result.status() != 0)
            {
                problem[0] = "ring page " + page + " (gref " + refs[page] + ") does not map: GNTST " + result.status();
                unmap(hypervisor, mappings);
                return null;
            }
            mappings[page] = result.mapping();
            if (page > 0 && mappings[page].frame() != mappings[page - 1].frame() + 1)
            {
                problem[0] = "ring page " + page + " is frame " + mappings[page].frame() + ", not the one after frame " +
                    mappings[page - 1].frame();
                unmap(hypervisor, mappings);
                return null;
            }
        }
        return new RingPages(hypervisor, mappings);
    }

    /** @return the ring's memory. */
    UnsafeBuffer buffer()
    {
        return ring;
    }

    @Override
    public void close()
    {
        unmap(hypervisor, mappings);
    }

    private static void unmap(final Hypervisor hypervisor, final GrantMapping[] mappings)
    {
        for (int i = 0; i < mappings.length; i++)
        {
            if (mappings[i] != null)
            {
                hypervisor.dom0Unmap(mappings[i].handle());
                mappings[i] = null;
            }
        }
    }
}
