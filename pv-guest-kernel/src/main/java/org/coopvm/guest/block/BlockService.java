package org.coopvm.guest.block;

import org.coopvm.guest.driver.RunningDriver;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.rings.blkif.BlkifDevice;
import org.coopvm.rings.blkif.VirtualDevice;
import org.coopvm.rings.xenbus.XenstoreAccess;
import org.coopvm.rings.xenbus.XenstoreAccessException;

import java.util.ArrayList;
import java.util.List;

/**
 * The running {@code block} driver: one {@link BlockFrontend} per disk found under
 * {@code device/vbd} at boot (a directory the toolstack made incompletely is skipped and
 * logged). On the domain's shutdown every disk detaches (Closing, then Closed once the backend let
 * go); when the kernel stops they are forgotten.
 *
 * <p>Thread safety: {@link #list()} from any thread; {@link #shutdown()} and {@link #stop()} as
 * {@link RunningDriver} says.
 */
public final class BlockService implements RunningDriver, BlockDevices
{
    private static final System.Logger LOG = System.getLogger(BlockService.class.getName());

    private final List<BlockFrontend> frontends;

    private BlockService(final List<BlockFrontend> frontends)
    {
        this.frontends = List.copyOf(frontends);
    }

    /**
     * @param ctx              the kernel's services.
     * @param xenstore         the guest's xenstore connection.
     * @param maxRingPageOrder the largest ring each frontend asks for.
     * @return the service with a frontend per disk.
     */
    public static BlockService start(final GuestContext ctx, final XenstoreAccess xenstore, final int maxRingPageOrder)
    {
        final String home = "/local/domain/" + ctx.domid() + "/device/" + BlkifDevice.TYPE;
        final List<BlockFrontend> frontends = new ArrayList<>();
        for (final String id : xenstore.directory(home))
        {
            final VirtualDevice device = number(id);
            if (device == null)
            {
                continue;
            }
            try
            {
                frontends.add(BlockFrontend.start(ctx, xenstore, home + "/" + id, device, maxRingPageOrder));
            }
            catch (final XenstoreAccessException ex)
            {
                LOG.log(System.Logger.Level.WARNING, "dom{0}: disk {1} skipped: {2}", ctx.domid(), id, ex.getMessage());
            }
        }
        return new BlockService(frontends);
    }

    /** @return a service with no disks. */
    public static BlockService none()
    {
        return new BlockService(List.of());
    }

    @Override
    public List<BlockDevice> list()
    {
        return List.copyOf(frontends);
    }

    /** @return the frontends (counters, xenbus state), for tests and in-process hosts. */
    public List<BlockFrontend> frontends()
    {
        return frontends;
    }

    @Override
    public void shutdown()
    {
        frontends.forEach(BlockFrontend::shutdown);
    }

    @Override
    public void stop()
    {
        frontends.forEach(BlockFrontend::stop);
    }

    private static VirtualDevice number(final String id)
    {
        if (id.isEmpty() || id.length() > 10 || !id.chars().allMatch(c -> c >= '0' && c <= '9') || Long.parseLong(id) > Integer.MAX_VALUE)
        {
            return null;
        }
        return VirtualDevice.of(Integer.parseInt(id));
    }
}
