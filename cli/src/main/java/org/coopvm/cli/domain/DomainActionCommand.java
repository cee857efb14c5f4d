package org.coopvm.cli.domain;

import org.coopvm.hypervisor.api.ManagementClient;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;

/**
 * Base of the commands that act on one domain ({@code pause}, {@code destroy}, ...).
 *
 * <p>Thread safety: confined to the command's thread.
 */
abstract class DomainActionCommand extends ClientCommand
{
    @Parameters(index = "0", paramLabel = "DOMAIN", description = "Domain name or id.")
    private String domain;

    @Override
    final void run(final ManagementClient client, final PrintWriter out)
    {
        apply(client, domain);
        final String done = doneMessage(domain);
        if (!done.isEmpty())
        {
            out.println(done);
        }
    }

    /**
     * @param client connected to the host.
     * @param domain the domain named on the command line.
     */
    abstract void apply(ManagementClient client, String domain);

    /**
     * @param domain the domain named on the command line.
     * @return what to print once done ("" for nothing, as xl prints nothing for pause).
     */
    String doneMessage(final String domain)
    {
        return "";
    }
}
