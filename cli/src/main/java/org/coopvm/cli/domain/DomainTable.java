package org.coopvm.cli.domain;

import org.coopvm.hypervisor.api.DomainInfo;
import org.coopvm.hypervisor.api.ShutdownReason;
import org.coopvm.hypervisor.api.VcpuInfo;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Prints domains and vCPUs in {@code xl list} / {@code xl vcpu-list} columns. {@code list} adds,
 * after xl's six, each domain's maxmem, the memory the machine really holds for it (MiB,
 * measured), so ballooning shows, and how the latest change of its balloon target went, in one
 * word: {@code tracking}, {@code reached:1.2s}, {@code slow}, {@code pool-short}, ... or {@code -}.
 *
 * <p>Thread safety: stateless.
 */
final class DomainTable
{
    private static final String LIST_ROW = "%-32s %5s %7s %5s %6s %10s %7s %9s %s%n";
    private static final String VCPU_ROW = "%-32s %5s %5s %-9s %10s%n";

    private DomainTable()
    {
    }

    static void printDomains(final List<DomainInfo> domains, final PrintWriter out)
    {
        out.printf(LIST_ROW, "Name", "ID", "Mem", "VCPUs", "State", "Time(s)", "MaxMem", "Resident", "Balloon");
        for (final DomainInfo d : domains)
        {
            out.printf(LIST_ROW, d.name(), d.domid(), d.memoryKib() / 1024, d.vcpus(), xlState(d), seconds(d.cpuTimeNs()),
                d.maxmemKib() / 1024, String.format(Locale.ROOT, "%.1f", d.residentBytes() / (1024.0 * 1024)),
                d.balloon() == null ? "-" : d.balloon().summary());
        }
    }

    static void printVcpus(final List<VcpuInfo> vcpus, final List<DomainInfo> domains, final PrintWriter out)
    {
        final Map<Integer, String> names = domains.stream().collect(Collectors.toMap(DomainInfo::domid, DomainInfo::name));
        final Function<Integer, String> name = domid -> names.getOrDefault(domid, "?");
        out.printf(VCPU_ROW, "Name", "ID", "VCPU", "State", "Time(s)");
        for (final VcpuInfo v : vcpus)
        {
            out.printf(VCPU_ROW, name.apply(v.domid()), v.domid(), v.vcpu(),
                v.state().name().toLowerCase(Locale.ROOT), seconds(v.cpuTimeNs()));
        }
    }

    /**
     * @return xl's six state flags: r(unning) b(locked) p(aused) s(hutdown) c(rashed) d(ying); a
     *         dying domain that shut down also shows why (s or c).
     */
    static String xlState(final DomainInfo d)
    {
        final char[] flags = "------".toCharArray();
        switch (d.state())
        {
            case RUNNING -> flags[0] = 'r';
            case PAUSED -> flags[2] = 'p';
            case SHUTDOWN -> shutdownFlag(d.shutdownReason(), flags);
            case DYING ->
            {
                if (d.shutdownReason() != null)
                {
                    shutdownFlag(d.shutdownReason(), flags);
                }
                flags[5] = 'd';
            }
        }
        return new String(flags);
    }

    private static void shutdownFlag(final ShutdownReason reason, final char[] flags)
    {
        if (reason == ShutdownReason.CRASH)
        {
            flags[4] = 'c';
        }
        else
        {
            flags[3] = 's';
        }
    }

    private static String seconds(final long ns)
    {
        return String.format(Locale.ROOT, "%.1f", ns / 1e9);
    }
}
