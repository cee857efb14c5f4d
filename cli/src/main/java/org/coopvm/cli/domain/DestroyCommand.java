package org.coopvm.cli.domain;

import org.coopvm.hypervisor.api.ManagementClient;
import picocli.CommandLine.Command;

/**
 * {@code coop destroy DOMAIN}: Destroy a domain at once and reclaim everything it holds.
 *
 * <p>Thread safety: confined to the command's thread.
 */
@Command(name = "destroy", mixinStandardHelpOptions = true, description = "Destroy a domain at once and reclaim everything it holds.")
public final class DestroyCommand extends DomainActionCommand
{
    @Override
    void apply(final ManagementClient client, final String domain)
    {
        client.destroy(domain);
    }
}
