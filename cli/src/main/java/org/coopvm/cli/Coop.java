package org.coopvm.cli;

import org.coopvm.cli.domain.CreateCommand;
import org.coopvm.cli.domain.DestroyCommand;
import org.coopvm.cli.domain.InfoCommand;
import org.coopvm.cli.domain.ListCommand;
import org.coopvm.cli.domain.PauseCommand;
import org.coopvm.cli.domain.RebootCommand;
import org.coopvm.cli.domain.ShutdownCommand;
import org.coopvm.cli.domain.UnpauseCommand;
import org.coopvm.cli.domain.VcpuListCommand;
import org.coopvm.cli.host.HostCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The {@code coop} command: xl-style management of a CoopVM host and its domains.
 * Exit codes: 0 done, 1 the operation failed (stderr says why), 2 usage error.
 *
 * <p>Thread safety: one command line per invocation, on the caller's thread.
 */
@Command(
    name = "coop",
    mixinStandardHelpOptions = true,
    description = "CoopVM: cooperating paravirtualised JVM guests.",
    subcommands = {
        HostCommand.class,
        ListCommand.class,
        CreateCommand.class,
        InfoCommand.class,
        PauseCommand.class,
        UnpauseCommand.class,
        ShutdownCommand.class,
        RebootCommand.class,
        DestroyCommand.class,
        VcpuListCommand.class,
    })
public final class Coop
{
    @Mixin
    private RunDirOption runDir;

    /**
     * @param args command-line arguments.
     */
    public static void main(final String[] args)
    {
        System.exit(commandLine().execute(args));
    }

    /**
     * @return the {@code coop} command line with CoopVM's error handling: known failures print
     *         one line naming the problem and exit 1.
     */
    public static CommandLine commandLine()
    {
        return CliErrors.install(new CommandLine(new Coop()));
    }
}
