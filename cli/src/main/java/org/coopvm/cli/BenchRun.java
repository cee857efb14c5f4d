package org.coopvm.cli;

import org.coopvm.perf.report.ReportJson;
import org.coopvm.perf.report.RingsReport;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What every {@code coop bench} command does around its benchmark: pick the JSON path
 * ({@code results/bench-<name>-<UTC timestamp>.json} unless given), run with progress on
 * standard error, print the table, write the JSON, and turn the outcome into the exit code
 * (0 every figure measured, 1 a measurement failed or the JSON was not written).
 *
 * <p>Runs on the command's thread.
 */
final class BenchRun
{
    /** The exit codes {@link #run} gives and picocli adds, as the last lines of every bench command's help footer. */
    static final String EXIT_CODES = "Exit codes:%n" +
        "  0  every figure measured%n" +
        "  1  a measurement failed (the table lists it) or the JSON was not written%n" +
        "  2  usage error";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    /** A benchmark run: given where its JSON goes (for side files) and a progress sink. */
    @FunctionalInterface
    interface Benchmark
    {
        RingsReport run(Path json, Consumer<String> progress);
    }

    private BenchRun()
    {
    }

    static int run(final CommandSpec spec, final String name, final Path out, final Benchmark benchmark,
        final Function<RingsReport, String> table)
    {
        final PrintWriter stdout = spec.commandLine().getOut();
        final PrintWriter stderr = spec.commandLine().getErr();
        final String prefix = "coop bench " + name + ": ";
        final Path json = out != null ? out :
            Path.of("results", "bench-" + name + "-" + ZonedDateTime.now(ZoneOffset.UTC).format(STAMP) + ".json");
        try
        {
            Files.createDirectories(json.toAbsolutePath().getParent());
        }
        catch (final IOException ex)
        {
            stderr.println(prefix + "cannot create the directory for " + json + ": " + ex.getMessage());
            return 1;
        }
        final RingsReport report = benchmark.run(json, line ->
        {
            stderr.println(prefix + line);
            stderr.flush();
        });
        stdout.print(table.apply(report));
        stdout.flush();
        try
        {
            ReportJson.write(report, json);
        }
        catch (final IOException ex)
        {
            stderr.println(prefix + "cannot write " + json + ": " + ex.getMessage());
            return 1;
        }
        stdout.println();
        stdout.println("JSON results written to " + json.toAbsolutePath());
        return report.run().failures().isEmpty() ? 0 : 1;
    }
}
