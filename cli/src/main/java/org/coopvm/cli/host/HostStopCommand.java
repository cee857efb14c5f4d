package org.coopvm.cli.host;

import org.coopvm.cli.OperationFailedException;
import org.coopvm.cli.RunDirOption;
import org.coopvm.hypervisor.api.HostEndpoint;
import org.coopvm.hypervisor.api.ManagementClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code coop host stop}: stop the host and every guest, and wait until the host process is gone
 * (it removes its run directory on the way out).
 *
 * <p>Thread safety: confined to the command's thread.
 */
@Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the host and every guest.")
public final class HostStopCommand implements Callable<Integer>
{
    /** How long to wait for the host process to exit after it answered the stop call. */
    public static final Duration EXIT_DEADLINE = Duration.ofSeconds(30);

    @Mixin
    private RunDirOption runDir;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call()
    {
        final HostEndpoint host;
        try (ManagementClient client = ManagementClient.connect(runDir.resolve()))
        {
            host = client.endpoint();
            client.stopHost();
        }
        awaitExit(host.pid());
        spec.commandLine().getOut().println("CoopVM host stopped (pid " + host.pid() + ")");
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static void awaitExit(final long pid)
    {
        final Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty())
        {
            return;
        }
        try
        {
            process.get().onExit().get(EXIT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (final TimeoutException ex)
        {
            throw new OperationFailedException("the host (pid " + pid + ") stopped its guests but did not exit within " +
                EXIT_DEADLINE.toSeconds() + " s");
        }
        catch (final ExecutionException ex)
        {
            throw new OperationFailedException("cannot wait for the host (pid " + pid + ") to exit: " + ex.getCause());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new OperationFailedException("interrupted while waiting for the host (pid " + pid + ") to exit");
        }
    }
}
