package org.coopvm.guest.net;

import org.coopvm.guest.driver.RunningDriver;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.rings.netif.MacAddress;
import org.coopvm.rings.netif.NetifDevice;
import org.coopvm.rings.xenbus.XenstoreAccess;
import org.coopvm.rings.xenbus.XenstoreAccessException;

import java.util.ArrayList;
import java.util.List;

/**
 * The running {@code net} driver: one {@link NetFrontend} per vif found under {@code device/vif}
 * at boot (a directory without a valid {@code mac} is skipped). On the domain's shutdown every vif
 * detaches; when the kernel stops they are forgotten.
 *
 * <p>Thread safety: {@link #frontends()} from any thread; {@link #shutdown()} and {@link #stop()}
 * as {@link RunningDriver} says.
 */
public final class NetService implements RunningDriver
{
    private static final System.Logger LOG = System.getLogger(NetService.class.getName());

    private final List<NetFrontend> frontends;

    private NetService(final List<NetFrontend> frontends)
    {
        this.frontends = List.copyOf(frontends);
    }

    /**
     * @param ctx      the kernel's services.
     * @param xenstore the guest's xenstore connection.
     * @return the service with a frontend per vif.
     */
    public static NetService start(final GuestContext ctx, final XenstoreAccess xenstore)
    {
        final String home = "/local/domain/" + ctx.domid() + "/device/" + NetifDevice.TYPE;
        final List<NetFrontend> frontends = new ArrayList<>();
        for (final String id : xenstore.directory(home))
        {
            if (!id.matches("[0-9]{1,3}") || Integer.parseInt(id) > 255)
            {
                continue;
            }
            try
            {
                final MacAddress mac = MacAddress.parse(xenstore.read(home + "/" + id + "/" + NetifDevice.MAC).orElse(""));
                frontends.add(NetFrontend.start(ctx, xenstore, home + "/" + id, Integer.parseInt(id), mac));
            }
            catch (final XenstoreAccessException | IllegalArgumentException ex)
            {
                LOG.log(System.Logger.Level.WARNING, "dom{0}: vif {1} skipped: {2}", ctx.domid(), id, ex.getMessage());
            }
        }
        return new NetService(frontends);
    }

    /** @return a service with no vifs. */
    public static NetService none()
    {
        return new NetService(List.of());
    }

    /** @return the vifs, in handle order as found. */
    public List<NetFrontend> frontends()
    {
        return frontends;
    }

    @Override
    public void shutdown()
    {
        frontends.forEach(NetFrontend::shutdown);
    }

    @Override
    public void stop()
    {
        frontends.forEach(NetFrontend::stop);
    }
}
