package org.coopvm.cli.domain;

import org.coopvm.hypervisor.api.ShutdownReason;
import picocli.CommandLine.Command;

/**
 * {@code coop shutdown [-w] [-F] DOMAIN}: ask a domain to power off, as {@code xl shutdown}.
 *
 * <p>Thread safety: confined to the command's thread.
 */
@Command(name = "shutdown", mixinStandardHelpOptions = true,
    description = "Ask a domain to shut down (reason poweroff) through control/shutdown; it then acts on its on_poweroff setting.")
public final class ShutdownCommand extends GuestShutdownCommand
{
    @Override
    ShutdownReason reason()
    {
        return ShutdownReason.POWEROFF;
    }

    @Override
    String verb()
    {
        return "Shutting down";
    }
}
