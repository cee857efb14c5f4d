package org.coopvm.cli.host;

import org.coopvm.cli.RunDirOption;
import org.coopvm.hypervisor.api.HostEndpoint;
import org.coopvm.hypervisor.config.HostConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code coop host start [--config FILE] [--run-dir DIR] [--foreground] [overrides]}: start a
 * host. In the background (the default) it returns once the API answers and prints where it is;
 * with {@code --foreground} it runs in this process until stopped (Ctrl-C or {@code coop host stop}).
 *
 * <p>Thread safety: confined to the command's thread.
 */
@Command(name = "start", mixinStandardHelpOptions = true, description = "Start a CoopVM host.")
public final class HostStartCommand implements Callable<Integer>
{
    /** How long {@code coop host start} waits for a background host's API. */
    public static final Duration START_DEADLINE = Duration.ofSeconds(30);

    @Mixin
    private RunDirOption runDir;

    @Mixin
    private HostOptions options;

    @Option(names = "--foreground", description = "Run the host in this process until it is stopped.")
    private boolean foreground;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call()
    {
        final HostConfig config = options.resolve(runDir.explicit());
        final PrintWriter out = spec.commandLine().getOut();
        if (foreground)
        {
            return new HostRunner(config, HypervisorLoader.load(options.factoryClass())).run(out);
        }
        HypervisorLoader.load(options.factoryClass());
        final HostEndpoint host = HostLauncher.launch(config, options.hostArguments(config), START_DEADLINE);
        out.println("CoopVM host started: pid " + host.pid() + ", API 127.0.0.1:" + host.port() + ", run dir " + host.runDir());
        out.flush();
        return 0;
    }
}
