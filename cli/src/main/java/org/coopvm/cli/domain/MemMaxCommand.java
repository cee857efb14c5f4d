package org.coopvm.cli.domain;

import org.coopvm.hypervisor.api.ManagementClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;

/**
 * {@code coop mem-max DOMAIN SIZE}: set a domain's maximum memory, as {@code xl mem-max}: the
 * hypervisor's max pages (later populates stop there; nothing populated is taken away) and
 * {@code memory/static-max}. Refused below the domain's target (as xl) and beyond its memory
 * region (CoopVM cannot add memory to a running domain).
 *
 * <p>Thread safety: confined to the command's thread.
 */
@Command(name = "mem-max", mixinStandardHelpOptions = true, description = {
    "Set a domain's maximum memory (max pages and memory/static-max), as xl mem-max.",
    "SIZE is a whole number with an optional unit b, k, m, g or t (no unit: MiB, as in xl); at least the domain's target",
    "and at most the maxmem it was created with."})
public final class MemMaxCommand extends ClientCommand
{
    @Parameters(index = "0", paramLabel = "DOMAIN", description = "Domain name or id.")
    private String domain;

    @Parameters(index = "1", paramLabel = "SIZE", description = "The new maximum, e.g. 512m, 1g.")
    private String size;

    private long maxKib;

    @Override
    void prepare()
    {
        maxKib = MemorySize.parseKib(size);
    }

    @Override
    void run(final ManagementClient client, final PrintWriter out)
    {
        client.memMax(domain, maxKib);
        out.println("Maximum memory of " + domain + " set to " + maxKib / 4 * 4 + " KiB");
    }
}
