package org.coopvm.cli;

import org.coopvm.cli.trace.TraceCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code coop} command: xl-style subcommands. Minimal version carrying only {@code trace};
 * the full command lives on another branch, which adds {@link TraceCommand} to its subcommands.
 * Runs on the main thread.
 */
@Command(
    name = "coop",
    mixinStandardHelpOptions = true,
    description = "CoopVM: a Xen-like paravirtualisation framework for the JVM.",
    subcommands = {TraceCommand.class, CommandLine.HelpCommand.class})
public final class Coop
{
    /**
     * @param args the command line.
     */
    public static void main(final String[] args)
    {
        System.exit(commandLine().execute(args));
    }

    /**
     * @return a command line for {@code coop}, for main and for tests.
     */
    public static CommandLine commandLine()
    {
        return new CommandLine(new Coop());
    }
}
