package org.coopvm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code coop bench}: the group of benchmark commands. It does nothing itself; running it
 * without a subcommand is a usage error that lists them.
 */
@Command(
    name = "bench",
    description = "Run benchmarks that compare CoopVM with its peers on this machine.",
    usageHelpAutoWidth = true,
    subcommands = {BenchRingsCommand.class, BenchHypercallsCommand.class, BenchXenstoreCommand.class,
        BenchBalloonCommand.class, BenchBlockCommand.class, BenchNetCommand.class, BenchSchedCommand.class})
final class BenchCommand
{
    @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;
}
