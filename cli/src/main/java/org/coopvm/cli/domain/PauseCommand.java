package org.coopvm.cli.domain;

import org.coopvm.hypervisor.api.ManagementClient;
import picocli.CommandLine.Command;

/**
 * {@code coop pause DOMAIN}: pause a domain: its vCPUs stop until unpaused.
 *
 * <p>Thread safety: confined to the command's thread.
 */
@Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause a domain: its vCPUs stop until unpaused.")
public final class PauseCommand extends DomainActionCommand
{
    @Override
    void apply(final ManagementClient client, final String domain)
    {
        client.pause(domain);
    }

    @Override
    String doneMessage(final String domain)
    {
        return "Paused domain " + domain + ": its vCPUs stop until unpaused";
    }
}
