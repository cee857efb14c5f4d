package org.coopvm.cli.domain;

import org.coopvm.rings.blkif.BlkifDevice;
import org.coopvm.rings.xenbus.XenbusDevice;
import picocli.CommandLine.Command;

import java.io.IOException;

/**
 * {@code coop block-list DOMAIN...}: each domain's virtual disks as {@code xl block-list} shows
 * them, from xenstore: device number, backend domain, the frontend's domain (xl's "handle"), the
 * frontend's xenbus state, event channel, ring reference (the first page's for a multi-page ring)
 * and the backend directory.
 *
 * <p>Thread safety: confined to the command's thread.
 */
@Command(name = "block-list", mixinStandardHelpOptions = true,
    description = {"List virtual disks (as xl block-list): Vdev, BE (backend domain), handle (the guest's domid), state (the",
        "frontend's xenbus state: 1 Initialising .. 4 Connected .. 6 Closed), evt-ch, ring-ref (ring-ref0 of a multi-page",
        "ring), BE-path."})
public final class BlockListCommand extends DeviceListCommand
{
    private static final String FORMAT = "%-5s %-3s %-6s %-5s %-6s %-8s %-30s";

    @Override
    String type()
    {
        return BlkifDevice.TYPE;
    }

    @Override
    String header()
    {
        return FORMAT.formatted("Vdev", "BE", "handle", "state", "evt-ch", "ring-ref", "BE-path").stripTrailing();
    }

    @Override
    String row(final Keys disk) throws IOException
    {
        final long ringRef = disk.frontendNumber(BlkifDevice.RING_REF);
        return FORMAT.formatted(disk.device().id(), disk.frontendNumber(XenbusDevice.BACKEND_ID), disk.device().frontendDomid(),
            disk.frontendNumber(XenbusDevice.STATE), disk.frontendNumber(BlkifDevice.EVENT_CHANNEL),
            ringRef >= 0 ? ringRef : disk.frontendNumber(BlkifDevice.ringRef(0)), disk.backendPath()).stripTrailing();
    }
}
