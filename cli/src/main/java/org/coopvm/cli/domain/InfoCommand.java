package org.coopvm.cli.domain;

import org.coopvm.hypervisor.api.HostInfo;
import org.coopvm.hypervisor.api.ManagementClient;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * {@code coop info}: the host, as {@code xl info} shows it ({@code key : value} lines).
 *
 * <p>Thread safety: confined to the command's thread.
 */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show the host: memory pool, CPUs, domains, API.")
public final class InfoCommand extends ClientCommand
{
    private static final String ROW = "%-16s: %s%n";

    @Override
    void run(final ManagementClient client, final PrintWriter out)
    {
        final HostInfo host = client.hostInfo();
        out.printf(ROW, "run_dir", host.runDir());
        out.printf(ROW, "host_pid", host.pid());
        out.printf(ROW, "api", "127.0.0.1:" + client.endpoint().port());
        out.printf(ROW, "nr_cpus", host.cpus());
        out.printf(ROW, "xen_scheduler", host.scheduler());
        out.printf(ROW, "total_memory", host.poolMib() + " MiB");
        out.printf(ROW, "free_memory", host.freeMib() + " MiB");
        out.printf(ROW, "nr_domains", host.domains());
        out.printf(ROW, "uptime", String.format(Locale.ROOT, "%.1f s", host.uptimeMs() / 1000.0));
    }
}
