package org.coopvm.cli.domain;

import org.coopvm.hypervisor.api.ManagementClient;
import org.coopvm.hypervisor.api.ShutdownReason;
import picocli.CommandLine.Command;

/**
 * {@code coop shutdown DOMAIN}: ask a domain to power off, as {@code xl shutdown}.
 *
 * <p>Thread safety: confined to the command's thread.
 */
@Command(name = "shutdown", mixinStandardHelpOptions = true,
    description = "Ask a domain to shut down (reason poweroff); it then acts on its on_poweroff setting.")
public final class ShutdownCommand extends DomainActionCommand
{
    @Override
    void apply(final ManagementClient client, final String domain)
    {
        client.shutdown(domain, ShutdownReason.POWEROFF);
    }

    @Override
    String doneMessage(final String domain)
    {
        return "Shutting down domain " + domain;
    }
}
