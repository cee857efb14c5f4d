package org.coopvm.cli.domain;

import org.coopvm.hypervisor.api.ManagementClient;
import org.coopvm.hypervisor.api.SchedDomainRequest;
import org.coopvm.hypervisor.api.SchedHostRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/**
 * {@code coop sched-credit}: show or change CPU scheduling parameters at run time, as
 * {@code xl sched-credit}. Without changes it lists the scheduler's settings and each domain's
 * weight, cap and slice (one domain with {@code -d}); {@code -d DOMAIN} with {@code -w}, {@code -c}
 * or {@code -s} changes that domain; {@code -t} or {@code -r} change the host's slice or rate limit.
 * The host checks the whole change first: a value out of range is refused naming it and the range,
 * and nothing changes. Changes take effect at the scheduler's next decision.
 *
 * <p>Unlike xl, {@code -s} is the domain's slice (xl's {@code -s} selects the host-wide mode, whose
 * {@code -t} and {@code -r} CoopVM takes without it).
 *
 * <p>Thread safety: confined to the command's thread.
 */
@Command(name = "sched-credit", mixinStandardHelpOptions = true, description = {
    "Show or change CPU scheduling parameters at run time, as xl sched-credit (whatever the host's scheduler).",
    "No options: list every domain's weight, cap and slice; -d DOMAIN alone: that domain.",
    "-d DOMAIN with -w, -c, -s: change that domain; -t, -r: change the host's slice and rate limit.",
    "Every value is checked first: one out of range changes nothing. Unlike xl, -s is the domain's slice."})
public final class SchedCreditCommand extends ClientCommand
{
    @Spec
    private CommandSpec spec;

    @Option(names = {"-d", "--domain"}, paramLabel = "DOMAIN", description = "Domain name or id.")
    private String domain;

    @Option(names = {"-w", "--weight"}, paramLabel = "WEIGHT", description = "Weight, 1..65535 (default 256).")
    private Integer weight;

    @Option(names = {"-c", "--cap"}, paramLabel = "CAP", description = "Cap in percent of one CPU slot, 0 (none)..100 per vCPU.")
    private Integer cap;

    @Option(names = {"-s", "--slice-ms"}, paramLabel = "SLICE_MS",
        description = "The domain's own time slice, 1..1000 ms; 0 = the host's tslice.")
    private Integer sliceMs;

    @Option(names = {"-t", "--tslice_ms"}, paramLabel = "TSLICE_MS", description = "The host's time slice, 1..1000 ms (default 30).")
    private Integer tsliceMs;

    @Option(names = {"-r", "--ratelimit_us"}, paramLabel = "RATELIMIT_US",
        description = "The host's rate limit, 0 (off) or 100..500000 us, at most the slice (default 1000).")
    private Long ratelimitUs;

    @Override
    void prepare()
    {
        final boolean domainChange = weight != null || cap != null || sliceMs != null;
        final boolean hostChange = tsliceMs != null || ratelimitUs != null;
        if (domainChange && domain == null)
        {
            throw new ParameterException(spec.commandLine(), "-w, -c and -s change a domain: name it with -d DOMAIN");
        }
        if (hostChange && domain != null)
        {
            throw new ParameterException(spec.commandLine(), "-t and -r change the host's settings: give them without -d");
        }
    }

    @Override
    void run(final ManagementClient client, final PrintWriter out)
    {
        if (tsliceMs != null || ratelimitUs != null)
        {
            DomainTable.printSchedHost(client.setSchedHost(new SchedHostRequest(tsliceMs, ratelimitUs)), out);
        }
        else if (weight != null || cap != null || sliceMs != null)
        {
            client.setSched(domain, new SchedDomainRequest(weight, cap, sliceMs));
            DomainTable.printSched(client.sched(domain), out);
        }
        else
        {
            DomainTable.printSched(client.sched(domain), out);
        }
    }
}
