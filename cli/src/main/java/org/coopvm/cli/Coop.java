package org.coopvm.cli;

import org.coopvm.cli.console.ConsoleCommand;
import org.coopvm.cli.demo.DemoCommand;
import org.coopvm.cli.domain.BalloonPolicyCommand;
import org.coopvm.cli.domain.BlockListCommand;
import org.coopvm.cli.domain.CreateCommand;
import org.coopvm.cli.domain.DestroyCommand;
import org.coopvm.cli.domain.InfoCommand;
import org.coopvm.cli.domain.ListCommand;
import org.coopvm.cli.domain.MemMaxCommand;
import org.coopvm.cli.domain.MemSetCommand;
import org.coopvm.cli.domain.NetworkListCommand;
import org.coopvm.cli.domain.PauseCommand;
import org.coopvm.cli.domain.RebootCommand;
import org.coopvm.cli.domain.SchedCreditCommand;
import org.coopvm.cli.domain.ShutdownCommand;
import org.coopvm.cli.domain.UnpauseCommand;
import org.coopvm.cli.domain.VcpuListCommand;
import org.coopvm.cli.host.HostCommand;
import org.coopvm.cli.trace.TraceCommand;
import org.coopvm.cli.xenstore.XenstoreCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The {@code coop} command: CoopVM's command line, in the style of Xen's {@code xl}. Each
 * command is its own class; this one only lists them and runs picocli.
 *
 * <p>Thread safety: one command line per invocation, on the caller's thread.
 */
@Command(
    name = "coop",
    description = "CoopVM: a Xen-like paravirtualisation framework for the JVM, in the style of Xen's xl.",
    usageHelpAutoWidth = true,
    subcommands = {
        DemoCommand.class,
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
        BlockListCommand.class,
        NetworkListCommand.class,
        SchedCreditCommand.class,
        MemSetCommand.class,
        MemMaxCommand.class,
        BalloonPolicyCommand.class,
        ConsoleCommand.class,
        TraceCommand.class,
        XenstoreCommand.class,
        BenchCommand.class,
        CommandLine.HelpCommand.class,
    },
    footerHeading = "%nExit codes:%n",
    footer = {
        "  0  success",
        "  1  the command ran and failed (the message says why)",
        "  2  usage error (unknown command or option, bad value)"})
public final class Coop
{
    @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Mixin
    private RunDirOption runDir;

    /**
     * @param args the command line.
     */
    public static void main(final String[] args)
    {
        System.exit(commandLine().execute(args));
    }

    /**
     * @return a command line for {@code coop} with all its subcommands and CoopVM's error
     *         handling (known failures print one line naming the problem and exit 1), for main
     *         and for tests.
     */
    public static CommandLine commandLine()
    {
        return CliErrors.install(new CommandLine(new Coop()));
    }
}
