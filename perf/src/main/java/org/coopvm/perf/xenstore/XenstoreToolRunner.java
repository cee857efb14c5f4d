package org.coopvm.perf.xenstore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of Xen's xenstore command-line tools against a socket ({@code XENSTORED_PATH}) and
 * waits for it to succeed. Output goes to a file that is overwritten each time and shown on
 * failure. Not thread safe: one thread.
 */
final class XenstoreToolRunner
{
    private final Path socket;
    private final Path output;
    private final Duration timeout;

    /**
     * @param socket  xenstored's Unix socket.
     * @param output  where each run's output goes.
     * @param timeout longest one process may take; it is killed after.
     */
    XenstoreToolRunner(final Path socket, final Path output, final Duration timeout)
    {
        this.socket = socket;
        this.output = output;
        this.timeout = timeout;
    }

    /**
     * @param command the program and its arguments.
     * @throws IOException          when it cannot start.
     * @throws InterruptedException when interrupted while waiting.
     * @throws IllegalStateException when it fails or times out.
     */
    void run(final String... command) throws IOException, InterruptedException
    {
        final ProcessBuilder builder = new ProcessBuilder(List.of(command)).redirectErrorStream(true)
            .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().put("XENSTORED_PATH", socket.toString());
        final Process process = builder.start();
        try
        {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS))
            {
                throw new IllegalStateException(command[0] + " timed out after " + timeout.toSeconds() + " s");
            }
            if (process.exitValue() != 0)
            {
                throw new IllegalStateException(command[0] + " exited with " + process.exitValue() + ": " +
                    Files.readString(output, StandardCharsets.UTF_8).strip());
            }
        }
        finally
        {
            process.destroyForcibly();
        }
    }
}
