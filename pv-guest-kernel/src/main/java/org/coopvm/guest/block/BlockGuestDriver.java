package org.coopvm.guest.block;

import org.coopvm.guest.driver.GuestDriver;
import org.coopvm.guest.driver.RunningDriver;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.xenstore.GuestXenstoreAccess;

/**
 * The {@code block} guest driver (blkfront): at boot it starts a {@link BlockFrontend} for every
 * disk the toolstack made under {@code device/vbd}; workloads reach them through
 * {@link GuestContext#blockDevices()}. Without xenstore it finds no disk.
 *
 * <p>Thread safety: {@link #start} on vCPU 0 at boot.
 */
public final class BlockGuestDriver implements GuestDriver
{
    /** The driver's name. */
    public static final String NAME = "block";

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public RunningDriver start(final GuestContext ctx)
    {
        return ctx.xenstore().map(xenstore -> BlockService.start(ctx, new GuestXenstoreAccess(xenstore),
            BlockFrontend.DEFAULT_RING_PAGE_ORDER)).orElseGet(() -> BlockService.none());
    }
}
