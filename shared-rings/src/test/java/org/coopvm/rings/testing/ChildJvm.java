package org.coopvm.rings.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM for cross-process tests: the running JVM's own {@code java}, the flags of
 * {@code jvm.options} (system property {@code coop.jvm.options.file}, set by Surefire), the test
 * class path, a main class from the test sources and its arguments. Output and errors go to a
 * log file whose content failure messages quote. {@link #close()} kills the child forcibly if it
 * still runs and deletes the log: use it in try-with-resources.
 *
 * <p>Thread safety: one test thread.
 */
public final class ChildJvm implements AutoCloseable
{
    private final Process process;
    private final Path log;
    private final String description;

    private ChildJvm(final Process process, final Path log, final String description)
    {
        this.process = process;
        this.log = log;
        this.description = description;
    }

    /**
     * Start {@code mainClass} in a new JVM.
     *
     * @param mainClass a class with {@code public static void main(String[])} in the test class path.
     * @param args      its arguments.
     * @return the running child.
     */
    public static ChildJvm start(final Class<?> mainClass, final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        final String optionsFile = System.getProperty("coop.jvm.options.file");
        if (optionsFile != null)
        {
            command.add("@" + optionsFile);
        }
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        try
        {
            final Path log = Files.createTempFile("coop-child-" + mainClass.getSimpleName() + "-", ".log");
            final Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
            return new ChildJvm(process, log, mainClass.getSimpleName() + " " + String.join(" ", args));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot start child JVM " + command, ex);
        }
    }

    /**
     * Wait for the child to exit.
     *
     * @param deadline the longest wait.
     * @return its exit code.
     * @throws AssertionError when it is still running at the deadline (it is then killed), quoting its output.
     */
    public int awaitExit(final Duration deadline) throws InterruptedException
    {
        if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS))
        {
            kill();
            throw new AssertionError("child JVM (" + description + ") still running after " + deadline + ", killed; output:\n" + output());
        }
        return process.exitValue();
    }

    /**
     * Wait for the child to exit with code 0.
     *
     * @param deadline the longest wait.
     * @throws AssertionError when it fails or outlives the deadline, quoting its output.
     */
    public void awaitSuccess(final Duration deadline) throws InterruptedException
    {
        final int code = awaitExit(deadline);
        if (code != 0)
        {
            throw new AssertionError("child JVM (" + description + ") exited with " + code + "; output:\n" + output());
        }
    }

    /** Kill the child at once (SIGKILL) and wait until it is reaped (keeps the interrupt status). */
    public void kill()
    {
        process.destroyForcibly();
        try
        {
            process.waitFor(30, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the child's pid. */
    public long pid()
    {
        return process.pid();
    }

    /** @return whether the child still runs. */
    public boolean isAlive()
    {
        return process.isAlive();
    }

    /** @return what the child printed so far (stdout and stderr), for failure messages. */
    public String output()
    {
        try
        {
            return Files.readString(log, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return "(no output: " + ex + ")";
        }
    }

    /** Kill the child if it still runs, then delete its log. */
    @Override
    public void close()
    {
        try
        {
            if (process.isAlive())
            {
                kill();
            }
        }
        finally
        {
            try
            {
                Files.deleteIfExists(log);
            }
            catch (final IOException ignore)
            {
                // a leftover log in the temp dir is harmless
            }
        }
    }
}
