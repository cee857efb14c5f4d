package org.coopvm.cli.domain;

import org.coopvm.hypervisor.api.ShutdownReason;
import picocli.CommandLine.Command;

/**
 * {@code coop reboot [-w] [-F] DOMAIN}: ask a domain to reboot (shutdown with reason reboot), as
 * {@code xl reboot}.
 *
 * <p>Thread safety: confined to the command's thread.
 */
@Command(name = "reboot", mixinStandardHelpOptions = true,
    description = "Ask a domain to reboot (shutdown with reason reboot) through control/shutdown; it then acts on its on_reboot setting.")
public final class RebootCommand extends GuestShutdownCommand
{
    @Override
    ShutdownReason reason()
    {
        return ShutdownReason.REBOOT;
    }

    @Override
    String verb()
    {
        return "Rebooting";
    }
}
