package org.coopvm.cli.domain;

import org.coopvm.hypervisor.api.ManagementClient;
import picocli.CommandLine.Command;

/**
 * {@code coop unpause DOMAIN}: Unpause a paused domain.
 *
 * <p>Thread safety: confined to the command's thread.
 */
@Command(name = "unpause", mixinStandardHelpOptions = true, description = "Unpause a paused domain.")
public final class UnpauseCommand extends DomainActionCommand
{
    @Override
    void apply(final ManagementClient client, final String domain)
    {
        client.unpause(domain);
    }
}
