package org.coopvm.cli.domain;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.coopvm.hypervisor.api.DomainInfo;
import org.coopvm.hypervisor.api.ManagementClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.List;

/**
 * {@code coop list [--json] [DOMAIN...]}: the domains, in {@code xl list} columns or as JSON.
 *
 * <p>Thread safety: confined to the command's thread.
 */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = {"List domains: Name, ID, Mem (MiB), VCPUs, State (r b p s c d), Time(s), CPU(%%) and Steal(%%) (its vCPUs' CPU",
        "and steal time over the last second, in percent of one CPU slot), MaxMem (MiB), Resident (MiB, measured),",
        "Balloon (how the latest change of memory/target went: tracking, reached:<s>, above-max, below-floor, pool-short,",
        "refused, slow, timed-out, invalid, superseded, or - before any change), Swap(MiB) (swapped in/out, as the guest's",
        "balloon stats claim; - before dom0 accepted any)."})
public final class ListCommand extends ClientCommand
{
    @Option(names = "--json", description = "Print the domains as a JSON array.")
    private boolean json;

    @Parameters(arity = "0..*", paramLabel = "DOMAIN", description = "Only these domains (names or ids).")
    private List<String> domains = List.of();

    @Override
    void run(final ManagementClient client, final PrintWriter out)
    {
        final List<DomainInfo> chosen = domains.isEmpty() ? client.list() : domains.stream().map(client::info).toList();
        if (json)
        {
            out.println(toJson(chosen));
        }
        else
        {
            DomainTable.printDomains(chosen, out);
        }
    }

    private static String toJson(final List<DomainInfo> domains)
    {
        try
        {
            return JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(domains);
        }
        catch (final JacksonException ex)
        {
            throw new IllegalStateException("cannot write domains as JSON", ex);
        }
    }
}
