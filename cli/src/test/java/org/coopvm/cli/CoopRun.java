package org.coopvm.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/**
 * One in-process run of {@code coop}: its exit code and what it printed.
 *
 * @param exitCode the exit code {@code coop} would exit with.
 * @param out      stdout.
 * @param err      stderr.
 */
record CoopRun(int exitCode, String out, String err)
{
    static CoopRun of(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine coop = Coop.commandLine();
        coop.setOut(new PrintWriter(out, true));
        coop.setErr(new PrintWriter(err, true));
        final int exitCode = coop.execute(args);
        return new CoopRun(exitCode, out.toString(), err.toString());
    }

    List<String> outLines()
    {
        return out.lines().toList();
    }

    /**
     * @param line a table line.
     * @return its whitespace-separated columns.
     */
    static List<String> columns(final String line)
    {
        return List.of(line.strip().split("\\s+"));
    }
}
