package org.coopvm.cli.domain;

import org.coopvm.cli.RunDirOption;
import org.coopvm.hypervisor.api.ManagementClient;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * Base of the commands that call a running host: connects through the run directory, runs,
 * closes the connection. Output goes to the command line's writers (so tests can capture it).
 *
 * <p>Thread safety: confined to the command's thread.
 */
abstract class ClientCommand implements Callable<Integer>
{
    @Mixin
    private RunDirOption runDir;

    @Spec
    private CommandSpec spec;

    @Override
    public final Integer call()
    {
        prepare();
        try (ManagementClient client = ManagementClient.connect(runDir.resolve()))
        {
            run(client, spec.commandLine().getOut());
        }
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** @return the host's run directory (where its sockets are). */
    final java.nio.file.Path runDirectory()
    {
        return runDir.resolve();
    }

    /**
     * Check what can be checked without a host (e.g. a config file), before connecting.
     */
    void prepare()
    {
    }

    /**
     * @param client connected to the host.
     * @param out    where to print results.
     */
    abstract void run(ManagementClient client, PrintWriter out);
}
