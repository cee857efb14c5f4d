package org.coopvm.cli.host;

import org.coopvm.cli.OperationFailedException;
import org.coopvm.hypervisor.api.HostEndpoint;
import org.coopvm.hypervisor.api.ManagementClient;
import org.coopvm.hypervisor.api.NoHostRunningException;
import org.coopvm.hypervisor.api.RunDirectory;
import org.coopvm.hypervisor.config.HostConfig;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts a host as a background JVM (same java, same JVM flags file, same class path, main
 * {@code org.coopvm.cli.HostMain}, output to {@code <run>/host.log}) and waits until its API
 * answers. If it exits or does not come up in time, it is killed, the tail of its log is
 * reported and the run directory removed: nothing is left half-started.
 *
 * <p>Thread safety: stateless; runs on the caller's thread.
 */
final class HostLauncher
{
    private static final String HOST_MAIN = "org.coopvm.cli.HostMain";
    private static final int LOG_TAIL_LINES = 20;

    private HostLauncher()
    {
    }

    /**
     * @param config   the resolved host config.
     * @param hostArgs arguments for the host's main that give the same config.
     * @param deadline how long to wait for the API.
     * @return where the host's API is.
     * @throws OperationFailedException if the host did not come up; the message has its log's tail.
     */
    static HostEndpoint launch(final HostConfig config, final List<String> hostArgs, final Duration deadline)
    {
        final RunDirectory runDir = new RunDirectory(config.runDir());
        runDir.checkFree();
        final Process host = start(runDir, hostArgs);
        try
        {
            return awaitApi(host, runDir, System.nanoTime() + deadline.toNanos(), deadline);
        }
        catch (final RuntimeException ex)
        {
            host.destroyForcibly();
            awaitExit(host);
            final String log = logTail(runDir.hostLog());
            removeUnlessClaimed(runDir);
            throw new OperationFailedException(ex.getMessage() + (log.isEmpty() ? "" : "; host.log ends with:\n" + log));
        }
    }

    private static Process start(final RunDirectory runDir, final List<String> hostArgs)
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        final String options = System.getProperty("coop.jvm.options.file");
        if (options != null)
        {
            command.add("@" + options);
            command.add("-Dcoop.jvm.options.file=" + options);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), HOST_MAIN));
        command.addAll(hostArgs);
        try
        {
            return new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(runDir.hostLog().toFile()))
                .start();
        }
        catch (final IOException ex)
        {
            removeUnlessClaimed(runDir);
            throw new OperationFailedException("cannot start the host JVM " + command.getFirst() + ": " + ex.getMessage());
        }
    }

    /** Another host may have won a race for the directory: never remove what it holds. */
    private static void removeUnlessClaimed(final RunDirectory runDir)
    {
        if (!runDir.isClaimed())
        {
            runDir.remove();
        }
    }

    private static HostEndpoint awaitApi(final Process host, final RunDirectory runDir, final long deadlineNs, final Duration deadline)
    {
        while (System.nanoTime() < deadlineNs)
        {
            final Optional<HostEndpoint> endpoint = answeringEndpoint(host, runDir);
            if (endpoint.isPresent())
            {
                return endpoint.get();
            }
            if (waitForExit(host))
            {
                throw new OperationFailedException("the host exited with code " + host.exitValue() + " before its API came up");
            }
        }
        throw new OperationFailedException("the host's API did not come up within " + deadline.toSeconds() + " s");
    }

    private static Optional<HostEndpoint> answeringEndpoint(final Process host, final RunDirectory runDir)
    {
        final Optional<HostEndpoint> endpoint = runDir.readHostEndpoint().filter(e -> e.pid() == host.pid());
        if (endpoint.isEmpty())
        {
            return endpoint;
        }
        try (ManagementClient client = ManagementClient.connect(runDir.root()))
        {
            client.hostInfo();
            return endpoint;
        }
        catch (final NoHostRunningException ex)
        {
            return Optional.empty();
        }
    }

    /** Wait a little for the host to exit; this is also the pause between polls of host.json. */
    private static boolean waitForExit(final Process host)
    {
        try
        {
            return host.waitFor(50, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new OperationFailedException("interrupted while waiting for the host to start");
        }
    }

    private static void awaitExit(final Process host)
    {
        try
        {
            host.waitFor(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static String logTail(final Path log)
    {
        try
        {
            final List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        }
        catch (final IOException ex)
        {
            return "";
        }
    }
}
