package org.coopvm.guest.swap;

import org.coopvm.guest.driver.GuestDriver;
import org.coopvm.guest.driver.RunningDriver;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.xenstore.XenstoreClient;
import org.coopvm.guest.xenstore.XenstoreException;

import java.util.Optional;

/**
 * The {@code swap} guest driver: reads {@link #DEVICE_NODE} from the domain's xenstore home (the
 * toolstack writes it from the config's {@code swap} key) and, when there is one, starts a
 * {@link SwapService} on that disk. It comes after the {@code block} driver, whose disks it uses.
 *
 * <p>Thread safety: {@link #start} on vCPU 0 at boot.
 */
public final class SwapGuestDriver implements GuestDriver
{
    /** The driver's name. */
    public static final String NAME = "swap";
    /** The node naming the swap disk, relative to the domain's home (owned by dom0, read by the guest). */
    public static final String DEVICE_NODE = "swap/device";

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public RunningDriver start(final GuestContext ctx)
    {
        return ctx.xenstore().flatMap(SwapGuestDriver::device).map(vdev -> SwapService.start(ctx, vdev))
            .orElseGet(() -> SwapService.none(ctx));
    }

    private static Optional<String> device(final XenstoreClient xenstore)
    {
        try
        {
            return Optional.of(xenstore.readString(DEVICE_NODE).trim());
        }
        catch (final XenstoreException ex)
        {
            return Optional.empty();
        }
    }
}
