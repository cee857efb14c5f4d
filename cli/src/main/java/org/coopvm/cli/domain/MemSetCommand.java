package org.coopvm.cli.domain;

import org.coopvm.hypervisor.api.DomainInfo;
import org.coopvm.hypervisor.api.ManagementClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;

/**
 * {@code coop mem-set DOMAIN SIZE}: set a domain's balloon target, as {@code xl mem-set}: the
 * host writes {@code memory/target} (KiB), the guest's balloon driver follows it, and the
 * convergence report ({@code coop list}, {@code memory/balloon-report}) says how that went.
 *
 * <p>Thread safety: confined to the command's thread.
 */
@Command(name = "mem-set", mixinStandardHelpOptions = true, description = {
    "Set a domain's balloon target (memory/target), as xl mem-set; coop list shows how it converges.",
    "SIZE is a whole number with an optional unit b, k, m, g or t (no unit: MiB, as in xl); at most memory/static-max."})
public final class MemSetCommand extends ClientCommand
{
    @Parameters(index = "0", paramLabel = "DOMAIN", description = "Domain name or id.")
    private String domain;

    @Parameters(index = "1", paramLabel = "SIZE", description = "The new target, e.g. 256m, 1g, 262144k.")
    private String size;

    private long targetKib;

    @Override
    void prepare()
    {
        targetKib = MemorySize.parseKib(size);
    }

    @Override
    void run(final ManagementClient client, final PrintWriter out)
    {
        client.memSet(domain, targetKib);
        out.println("Memory target of " + domain + " set to " + targetKib + " KiB");
        final DomainInfo info = client.info(domain);
        if (targetKib < info.minmemKib())
        {
            out.println("note: that is below its minmem " + info.minmemKib() + " KiB: the domain is held at its floor " +
                "(the report says below_floor)");
        }
    }
}
