package org.coopvm.guest.net;

import org.coopvm.guest.driver.GuestDriver;
import org.coopvm.guest.driver.RunningDriver;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.xenstore.GuestXenstoreAccess;

/**
 * The {@code net} guest driver (netfront): at boot it starts a {@link NetFrontend} for every vif
 * the toolstack made under {@code device/vif}; workloads reach them through
 * {@link GuestContext#netDevices()}. Without xenstore it finds no vif.
 *
 * <p>Thread safety: {@link #start} on vCPU 0 at boot.
 */
public final class NetGuestDriver implements GuestDriver
{
    /** The driver's name. */
    public static final String NAME = "net";

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public RunningDriver start(final GuestContext ctx)
    {
        return ctx.xenstore().map(xenstore -> NetService.start(ctx, new GuestXenstoreAccess(xenstore))).orElseGet(NetService::none);
    }
}
