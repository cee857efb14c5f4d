package org.coopvm.cli;

import org.coopvm.cli.trace.TraceCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code coop} command: CoopVM's command line, in the style of Xen's {@code xl}. Each
 * command is its own class; this one only lists them and runs picocli. Runs on the main thread.
 *
 * <p>Exit codes: 0 success, 1 the command ran but failed, 2 usage error.
 */
@Command(
    name = "coop",
    description = "CoopVM: a Xen-like paravirtualisation framework for the JVM, in the style of Xen's xl.",
    usageHelpAutoWidth = true,
    subcommands = {BenchCommand.class, TraceCommand.class, CommandLine.HelpCommand.class},
    footerHeading = "%nExit codes:%n",
    footer = {
        "  0  success",
        "  1  the command ran and failed (the message says why)",
        "  2  usage error (unknown command or option, bad value)"})
public final class Coop
{
    @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    /**
     * @return a command line for {@code coop} with all its subcommands, for main and for tests.
     */
    public static CommandLine commandLine()
    {
        return new CommandLine(new Coop());
    }

    /**
     * @param args the command line.
     */
    public static void main(final String[] args)
    {
        System.exit(commandLine().execute(args));
    }
}
