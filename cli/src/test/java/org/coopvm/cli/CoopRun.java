package org.coopvm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One in-process run of {@code coop}: its exit code and what it printed.
 *
 * @param exitCode the exit code {@code coop} would exit with.
 * @param out      stdout.
 * @param err      stderr.
 */
record CoopRun(int exitCode, String out, String err)
{
    private static final ObjectMapper JSON = new ObjectMapper();

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

    /**
     * @param runDir the host's run directory.
     * @param args   the command and its arguments.
     * @return {@code coop --run-dir RUN_DIR ARGS...}, run.
     */
    static CoopRun in(final Path runDir, final String... args)
    {
        final String[] withRunDir = new String[args.length + 2];
        withRunDir[0] = "--run-dir";
        withRunDir[1] = runDir.toString();
        System.arraycopy(args, 0, withRunDir, 2, args.length);
        return of(withRunDir);
    }

    /**
     * Write {@code cfgDir/NAME.cfg} for an in-process guest and {@code coop create} it on the host
     * of {@code runDir}; fails the test when the creation fails.
     *
     * @param keys more config lines (each ending in a newline), e.g. {@code memory = 32\n}.
     */
    static void createInProcess(final Path runDir, final Path cfgDir, final String name, final String workload, final String keys)
    {
        try
        {
            final Path cfg = Files.writeString(cfgDir.resolve(name + ".cfg"), "name = \"" + name + "\"\n" + keys +
                "workload = \"" + workload + "\"\nisolation = \"in-process\"\n");
            final CoopRun run = in(runDir, "create", cfg.toString());
            assertThat(run.exitCode()).as(run.err()).isZero();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** @return stdout as a JSON array (e.g. {@code list --json}), its elements in order. */
    List<JsonNode> jsonArray()
    {
        try
        {
            final List<JsonNode> elements = new ArrayList<>();
            JSON.readTree(out).forEach(elements::add);
            return elements;
        }
        catch (final IOException ex)
        {
            throw new AssertionError("coop printed no JSON: " + out, ex);
        }
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
