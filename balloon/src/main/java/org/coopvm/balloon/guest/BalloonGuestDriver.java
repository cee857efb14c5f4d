package org.coopvm.balloon.guest;

import org.coopvm.guest.driver.GuestDriver;
import org.coopvm.guest.driver.RunningDriver;
import org.coopvm.guest.workload.GuestContext;

/**
 * The {@code balloon} guest driver: every guest kernel with this module on its class path starts a
 * {@link BalloonService} with Linux's settings ({@link BalloonConfig#DEFAULT}), as a Linux PV guest
 * built with {@code CONFIG_XEN_BALLOON} does. Without xenstore (no {@code memory/target} to
 * follow) it stays inactive, as Linux's driver does outside a Xen domain. Disable it with
 * {@code KernelConfig.withDisabledDrivers(Set.of("balloon"))} (a guest that never balloons).
 *
 * <p>Thread safety: {@link #start} on vCPU 0 at boot.
 */
public final class BalloonGuestDriver implements GuestDriver
{
    /** The driver's name. */
    public static final String NAME = "balloon";

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public RunningDriver start(final GuestContext ctx)
    {
        return ctx.xenstore().<RunningDriver>map(xenstore -> BalloonService.start(ctx, xenstore, BalloonConfig.DEFAULT))
            .orElse(() -> { });
    }
}
