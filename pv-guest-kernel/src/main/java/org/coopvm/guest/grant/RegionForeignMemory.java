package org.coopvm.guest.grant;

import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.rings.mem.Pages;
import org.coopvm.rings.region.SharedRegion;

import java.util.function.IntFunction;

/**
 * {@link ForeignMemory} for in-process guests: a view of one page of the granter's anonymous
 * memory region, which the host hands over by domid. The host must keep the region mapped while
 * the page is mapped (it does: a domain's memory is reclaimed only after its grants are unmapped).
 *
 * <p>Thread safety: any thread, if {@code memoryOf} is thread safe.
 */
public final class RegionForeignMemory implements ForeignMemory
{
    private final IntFunction<SharedRegion> memoryOf;

    /**
     * @param memoryOf the memory region of a domain, or {@code null} when there is none.
     */
    public RegionForeignMemory(final IntFunction<SharedRegion> memoryOf)
    {
        this.memoryOf = memoryOf;
    }

    @Override
    public ForeignMapping map(final int domid, final int frame, final boolean readonly)
    {
        final SharedRegion region = memoryOf.apply(domid);
        if (region == null)
        {
            throw new IllegalStateException("no memory region for domain " + domid);
        }
        final long frames = region.payloadLength() / Pages.PAGE_SIZE;
        if (frame < 0 || frame >= frames)
        {
            throw new IllegalStateException("frame " + frame + " outside domain " + domid + "'s " + frames + " frames");
        }
        return new ForeignMapping(new UnsafeBuffer(region.payloadBuffer(), frame * Pages.PAGE_SIZE, Pages.PAGE_SIZE), readonly, () -> { });
    }
}
