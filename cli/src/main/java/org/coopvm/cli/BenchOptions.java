package org.coopvm.cli;

import org.coopvm.perf.report.RingsReport;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * The options every {@code coop bench} command shares, as a mixin: where the JSON goes, where
 * the benchmark makes its files, and help; and what every one does with them: name itself in the
 * report ({@link #commandLine}) and run its benchmark through {@link BenchRun} ({@link #run}).
 * Each command keeps its own {@code --quick}, whose help says how long its short run takes.
 *
 * <p>Thread safety: confined to the command's thread.
 */
final class BenchOptions
{
    @Option(names = "--out", paramLabel = "FILE",
        description = "Where to write the JSON results (default: results/bench-${COMMAND-NAME}-<UTC timestamp>.json).")
    private Path out;

    @Option(names = "--run-dir", paramLabel = "DIR", defaultValue = "/dev/shm",
        description = "Directory (tmpfs) under which the benchmark makes its run directories and region files " +
            "(default: ${DEFAULT-VALUE}).")
    private Path runDir;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    /** @return {@code --run-dir}. */
    Path runDir()
    {
        return runDir;
    }

    /**
     * @param quick whether {@code --quick} was given.
     * @return the command as the report names it: {@code coop bench <name>}, with {@code --quick} when given.
     */
    String commandLine(final boolean quick)
    {
        return "coop bench " + command.name() + (quick ? " --quick" : "");
    }

    /** @return the command this mixin is part of (for usage errors). */
    CommandSpec command()
    {
        return command;
    }

    /**
     * Run the command's benchmark as every bench command does ({@link BenchRun#run}), the JSON going to {@code --out}.
     *
     * @param benchmark the benchmark.
     * @param table     the report as the table printed on standard output.
     * @return the exit code.
     */
    int run(final BenchRun.Benchmark benchmark, final Function<RingsReport, String> table)
    {
        return BenchRun.run(command, command.name(), out, benchmark, table);
    }
}
