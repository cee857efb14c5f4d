package org.coopvm.cli.host;

import picocli.CommandLine.Command;

/**
 * {@code coop host start|stop}: the host's lifecycle.
 *
 * <p>Thread safety: confined to the command's thread.
 */
@Command(name = "host", mixinStandardHelpOptions = true, description = "Start or stop the CoopVM host.",
    subcommands = {HostStartCommand.class, HostStopCommand.class})
public final class HostCommand
{
}
