package org.coopvm.cli.domain;

import org.coopvm.hypervisor.api.ManagementClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;

/**
 * {@code coop vcpu-list [DOMAIN]}: every vCPU of one domain or of all, as {@code xl vcpu-list}.
 *
 * <p>Thread safety: confined to the command's thread.
 */
@Command(name = "vcpu-list", mixinStandardHelpOptions = true,
    description = {"List vCPUs: Name, ID, VCPU, Slot (the physical CPU slot it holds), State (running, runnable, blocked, offline),",
        "Time(s) (CPU charged), seconds Running, Runnable, Blocked, Offline and Steal (runnable + offline) since the domain was",
        "created, the scheduler's priority (BOOST, UNDER, OVER, IDLE, PARKED) and credit, and overruns."})
public final class VcpuListCommand extends ClientCommand
{
    @Parameters(index = "0", arity = "0..1", paramLabel = "DOMAIN", description = "Only this domain (name or id).")
    private String domain;

    @Override
    void run(final ManagementClient client, final PrintWriter out)
    {
        DomainTable.printVcpus(client.vcpus(domain), client.list(), out);
    }
}
