package org.coopvm.perf.latency;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starting, awaiting and cleaning up the child JVMs of a benchmark (round-trip peers, process
 * guests): each child's output goes to its own log file, which failures quote. Stateless; any thread.
 */
public final class ChildProcesses
{
    /** How long a child JVM may take to start and attach. */
    public static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

    private ChildProcesses()
    {
    }

    /**
     * @param childJvm  how to start it.
     * @param mainClass its entry point.
     * @param args      its arguments.
     * @param log       where its standard output and error go.
     * @return the running child.
     * @throws IllegalStateException when it cannot be started.
     */
    public static Process start(final ChildJvm childJvm, final Class<?> mainClass, final List<String> args, final Path log)
    {
        try
        {
            return new ProcessBuilder(childJvm.command(mainClass, args))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot start " + mainClass.getSimpleName() + " JVM: " + ex, ex);
        }
    }

    /**
     * Wait for a child to exit 0.
     *
     * @param child   the child.
     * @param name    what it is, for messages.
     * @param timeout how long to wait.
     * @param log     its output, quoted on failure.
     * @throws IllegalStateException when it does not exit in time or exits non-zero.
     */
    public static void awaitSuccess(final Process child, final String name, final Duration timeout, final Path log)
    {
        try
        {
            if (!child.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
            {
                throw new IllegalStateException(name + " JVM did not finish within " + timeout + ": " + read(log));
            }
            if (child.exitValue() != 0)
            {
                throw new IllegalStateException(name + " JVM exited with " + child.exitValue() + ": " + read(log));
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the " + name + " JVM", ex);
        }
    }

    /** @param child a child, or null; killed and reaped when still alive. */
    public static void destroy(final Process child)
    {
        if (child != null && child.isAlive())
        {
            child.destroyForcibly();
            child.onExit().join();
        }
    }

    /** @return the log's text, for failure messages. */
    public static String read(final Path log)
    {
        try
        {
            return Files.readString(log, StandardCharsets.UTF_8).strip();
        }
        catch (final IOException ex)
        {
            return "(no output: " + ex + ")";
        }
    }

    /** @param file deleted if present; a failure to delete is ignored (tmpfs leftovers are harmless). */
    public static void deleteQuietly(final Path file)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ignore)
        {
            // a leftover file under the run directory is harmless
        }
    }
}
