package org.coopvm.cli.domain;

import org.coopvm.cli.OperationFailedException;
import org.coopvm.hypervisor.api.DomainInfo;
import org.coopvm.hypervisor.api.DomainState;
import org.coopvm.hypervisor.api.Errno;
import org.coopvm.hypervisor.api.HostControlException;
import org.coopvm.hypervisor.api.ManagementClient;
import org.coopvm.hypervisor.api.ShutdownReason;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Optional;

/**
 * Base of {@code coop shutdown} and {@code coop reboot}, with xl's options: {@code -w} waits until
 * the domain is gone (destroyed, or restarted under a new id) or shut down and kept
 * ({@code on_* = "preserve"}); {@code -F} skips asking the guest through {@code control/shutdown}
 * and shuts the domain down in the hypervisor at once. Without {@code -F} the host still falls
 * back to that when the guest does not act within its {@code shutdown_timeout_ms}.
 *
 * <p>Thread safety: confined to the command's thread.
 */
abstract class GuestShutdownCommand extends ClientCommand
{
    private static final long POLL_MS = 100;

    @Parameters(index = "0", paramLabel = "DOMAIN", description = "Domain name or id.")
    private String domain;

    @Option(names = "-w", description = "Wait until the domain is gone (or shut down and kept by on_poweroff/on_reboot = \"preserve\").")
    private boolean waitUntilGone;

    @Option(names = "-F", description = "Force: shut the domain down in the hypervisor at once, without asking the guest " +
        "through control/shutdown.")
    private boolean force;

    @Override
    final void run(final ManagementClient client, final PrintWriter out)
    {
        final int domid = client.info(domain).domid();
        client.shutdown(Integer.toString(domid), reason(), force);
        out.println(verb() + " domain " + domain);
        if (waitUntilGone)
        {
            out.println("Waiting for domain " + domain + " (id " + domid + ")");
            out.flush();
            out.println(awaitGone(client, domid));
        }
    }

    /** @return the reason the command asks for. */
    abstract ShutdownReason reason();

    /** @return how the command's first line starts, e.g. "Shutting down". */
    abstract String verb();

    private static String awaitGone(final ManagementClient client, final int domid)
    {
        while (true)
        {
            final Optional<DomainInfo> info = lookup(client, domid);
            if (info.isEmpty())
            {
                return "Domain " + domid + " is gone";
            }
            if (info.get().state() == DomainState.SHUTDOWN)
            {
                return "Domain " + domid + " has shut down (" + reasonName(info.get()) + ") and is kept";
            }
            pause();
        }
    }

    private static Optional<DomainInfo> lookup(final ManagementClient client, final int domid)
    {
        try
        {
            return Optional.of(client.info(Integer.toString(domid)));
        }
        catch (final HostControlException ex)
        {
            if (ex.errno() == Errno.ENOENT)
            {
                return Optional.empty();
            }
            throw ex;
        }
    }

    private static String reasonName(final DomainInfo info)
    {
        return info.shutdownReason() == null ? "unknown" : info.shutdownReason().name().toLowerCase(Locale.ROOT);
    }

    private static void pause()
    {
        try
        {
            Thread.sleep(POLL_MS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new OperationFailedException("interrupted while waiting for the domain to go");
        }
    }
}
