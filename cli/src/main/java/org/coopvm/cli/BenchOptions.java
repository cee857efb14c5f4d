package org.coopvm.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The options every {@code coop bench} command shares, as a mixin: where the JSON goes, where
 * the benchmark makes its files, and help.
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

    /** @return {@code --out}, or null for the default name. */
    Path out()
    {
        return out;
    }

    /** @return {@code --run-dir}. */
    Path runDir()
    {
        return runDir;
    }
}
