package org.coopvm.cli.domain;

import org.coopvm.hypervisor.api.ManagementClient;
import picocli.CommandLine.Command;

/**
 * {@code coop reboot DOMAIN}: Ask a domain to reboot (shutdown with reason reboot).
 *
 * <p>Thread safety: confined to the command's thread.
 */
@Command(name = "reboot", mixinStandardHelpOptions = true, description = "Ask a domain to reboot (shutdown with reason reboot).")
public final class RebootCommand extends DomainActionCommand
{
    @Override
    void apply(final ManagementClient client, final String domain)
    {
        client.reboot(domain);
    }

    @Override
    String doneMessage(final String domain)
    {
        return "Rebooting domain " + domain;
    }
}
