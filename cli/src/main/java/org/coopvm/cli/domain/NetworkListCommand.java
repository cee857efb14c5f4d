package org.coopvm.cli.domain;

import org.coopvm.rings.netif.NetifDevice;
import org.coopvm.rings.xenbus.XenbusDevice;
import picocli.CommandLine.Command;

import java.io.IOException;

/**
 * {@code coop network-list DOMAIN...}: each domain's vifs as {@code xl network-list} shows them,
 * from xenstore: index, backend domain, MAC, the frontend's domain (xl's "handle"), the frontend's
 * xenbus state, event channel, tx and rx ring references and the backend directory.
 *
 * <p>Thread safety: confined to the command's thread.
 */
@Command(name = "network-list", mixinStandardHelpOptions = true,
    description = {"List vifs (as xl network-list): Idx, BE (backend domain), Mac Addr., handle (the guest's domid), state (the",
        "frontend's xenbus state: 4 Connected), evt-ch, tx-/rx-ring-ref, BE-path."})
public final class NetworkListCommand extends DeviceListCommand
{
    private static final String FORMAT = "%-3s %-2s %-17s %6s %5s %6s %5s/%-11s %-30s";

    @Override
    String type()
    {
        return NetifDevice.TYPE;
    }

    @Override
    String header()
    {
        return "%-3s %-2s %-17s %6s %5s %6s %-17s %-30s".formatted("Idx", "BE", "Mac Addr.", "handle", "state", "evt-ch",
            "tx-/rx-ring-ref", "BE-path").stripTrailing();
    }

    @Override
    String row(final Keys vif) throws IOException
    {
        final String mac = vif.frontend(NetifDevice.MAC);
        return FORMAT.formatted(vif.device().id(), vif.frontendNumber(XenbusDevice.BACKEND_ID),
            mac.isEmpty() ? vif.backend(NetifDevice.MAC) : mac, vif.device().frontendDomid(), vif.frontendNumber(XenbusDevice.STATE),
            vif.frontendNumber(NetifDevice.EVENT_CHANNEL), vif.frontendNumber(NetifDevice.TX_RING_REF),
            vif.frontendNumber(NetifDevice.RX_RING_REF), vif.backendPath()).stripTrailing();
    }
}
