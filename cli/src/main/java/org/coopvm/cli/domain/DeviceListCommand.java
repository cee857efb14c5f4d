package org.coopvm.cli.domain;

import org.coopvm.cli.OperationFailedException;
import org.coopvm.hypervisor.api.ManagementClient;
import org.coopvm.hypervisor.xenstore.transport.XenstoreSocketClient;
import org.coopvm.hypervisor.xenstore.transport.XenstoreSocketServer;
import org.coopvm.rings.xenbus.XenbusDevice;
import org.coopvm.rings.xenbus.XenstoreNumbers;
import org.coopvm.rings.xenstore.XsMessage;
import org.coopvm.rings.xenstore.XsMessageType;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What {@code coop block-list} and {@code coop network-list} share, as libxl's
 * {@code device_*_list} and {@code *_getinfo} do it: the domains named (name or id, through the
 * host), then each one's devices of a type read from xenstore (the frontend directories under
 * {@code /local/domain/<domid>/device/<type>}, in device-number order).
 *
 * <p>Thread safety: confined to the command's thread.
 */
abstract class DeviceListCommand extends ClientCommand
{
    @Parameters(arity = "1..*", paramLabel = "DOMAIN", description = "Domains (name or id).")
    private List<String> domains;

    @Override
    final void run(final ManagementClient client, final PrintWriter out)
    {
        final List<Integer> domids = domains.stream().map(domain -> client.info(domain).domid()).toList();
        final Path socket = runDirectory().resolve(XenstoreSocketServer.SOCKET_NAME);
        try (XenstoreSocketClient xenstore = new XenstoreSocketClient(socket))
        {
            out.println(header());
            for (final int domid : domids)
            {
                for (final int id : deviceIds(xenstore, domid))
                {
                    out.println(row(new Keys(xenstore, new XenbusDevice(type(), id, domid, 0))));
                }
            }
        }
        catch (final IOException ex)
        {
            throw new OperationFailedException("cannot talk to xenstored at " + socket + ": " + ex.getMessage());
        }
    }

    /** @return the xenstore device type ({@code vbd}, {@code vif}). */
    abstract String type();

    /** @return the table's first line. */
    abstract String header();

    /** @return one device's line. */
    abstract String row(Keys device) throws IOException;

    private List<Integer> deviceIds(final XenstoreSocketClient xenstore, final int domid) throws IOException
    {
        final XsMessage reply = xenstore.call(XsMessageType.DIRECTORY, 0, "/local/domain/" + domid + "/device/" + type());
        final List<Integer> ids = new ArrayList<>();
        if (reply.type() != XsMessageType.ERROR.code())
        {
            for (final String child : reply.strings())
            {
                final long id = XenstoreNumbers.decimal(child, Integer.MAX_VALUE);
                if (id >= 0)
                {
                    ids.add((int)id);
                }
            }
        }
        ids.sort(Comparator.naturalOrder());
        return ids;
    }

    /** One device's keys, read on demand; a missing key reads as {@code -1} (a number) or empty. */
    static final class Keys
    {
        private final XenstoreSocketClient xenstore;
        private final XenbusDevice device;

        Keys(final XenstoreSocketClient xenstore, final XenbusDevice device)
        {
            this.xenstore = xenstore;
            this.device = device;
        }

        XenbusDevice device()
        {
            return device;
        }

        /** @return the frontend's key. */
        String frontend(final String key) throws IOException
        {
            return read(device.frontendPath() + "/" + key);
        }

        /** @return the frontend's key as a number, -1 when missing or not a number. */
        long frontendNumber(final String key) throws IOException
        {
            return XenstoreNumbers.decimal(frontend(key), Long.MAX_VALUE);
        }

        /** @return the backend directory's path as the frontend names it (the toolstack's). */
        String backendPath() throws IOException
        {
            final String named = frontend(XenbusDevice.BACKEND);
            return named.isEmpty() ? device.backendPath() : named;
        }

        /** @return a key of the backend directory. */
        String backend(final String key) throws IOException
        {
            return read(backendPath() + "/" + key);
        }

        private String read(final String path) throws IOException
        {
            final XsMessage reply = xenstore.call(XsMessageType.READ, 0, path);
            return reply.type() == XsMessageType.ERROR.code() ? "" : reply.text();
        }
    }
}
