package org.coopvm.cli.domain;

import org.coopvm.hypervisor.api.DomainCpu;
import org.coopvm.hypervisor.api.DomainInfo;
import org.coopvm.hypervisor.api.SchedDomainInfo;
import org.coopvm.hypervisor.api.SchedHostInfo;
import org.coopvm.hypervisor.api.SchedInfo;
import org.coopvm.hypervisor.api.ShutdownReason;
import org.coopvm.hypervisor.api.VcpuInfo;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Prints domains, vCPUs and scheduling parameters in {@code xl list} / {@code xl vcpu-list} /
 * {@code xl sched-credit} columns. {@code list} adds, after xl's six, the CPU its vCPUs used and
 * their steal time over the last second in percent of one slot ({@code xentop}'s CPU(%)), each
 * domain's maxmem, the memory the machine really holds for it (MiB, measured), so ballooning
 * shows, how the latest change of its balloon target went, in one word: {@code tracking},
 * {@code reached:1.2s}, {@code slow}, {@code pool-short}, ... or {@code -}, and the MiB its guest
 * swapped in and out ({@code in/out}, from its balloon stats; {@code -} before dom0 accepted any). {@code vcpu-list} adds,
 * after xl's columns (with the slot for xl's CPU), the time in each runstate, the steal time, the
 * algorithm's priority and credit, and the overruns.
 *
 * <p>Thread safety: stateless.
 */
final class DomainTable
{
    private static final String LIST_ROW = "%-32s %5s %7s %5s %6s %10s %6s %8s %7s %9s %-12s %s%n";
    private static final String VCPU_COLUMNS = " %5s %4s %4s %-8s %9s %10s %11s %10s %10s %9s %-6s %6s %8s%n";
    private static final String SCHED_COLUMNS = " %5s %6s %5s %9s%n";

    private DomainTable()
    {
    }

    static void printDomains(final List<DomainInfo> domains, final PrintWriter out)
    {
        out.printf(LIST_ROW, "Name", "ID", "Mem", "VCPUs", "State", "Time(s)", "CPU(%)", "Steal(%)", "MaxMem", "Resident", "Balloon", "Swap(MiB)");
        for (final DomainInfo d : domains)
        {
            final DomainCpu cpu = d.cpu();
            out.printf(LIST_ROW, d.name(), d.domid(), d.memoryKib() / 1024, d.vcpus(), xlState(d), seconds(d.cpuTimeNs()),
                cpu == null ? "-" : percent(cpu.cpuPercent()), cpu == null ? "-" : percent(cpu.stealPercent()),
                d.maxmemKib() / 1024, String.format(Locale.ROOT, "%.1f", d.residentBytes() / (1024.0 * 1024)),
                d.balloon() == null ? "-" : d.balloon().summary(), d.swap() == null ? "-" : d.swap().summary());
        }
    }

    static void printVcpus(final List<VcpuInfo> vcpus, final List<DomainInfo> domains, final PrintWriter out)
    {
        final Map<Integer, String> names = domains.stream().collect(Collectors.toMap(DomainInfo::domid, DomainInfo::name));
        final Function<Integer, String> name = domid -> names.getOrDefault(domid, "?");
        final String row = nameColumn(vcpus.stream().map(v -> name.apply(v.domid())).toList()) + VCPU_COLUMNS;
        out.printf(row, "Name", "ID", "VCPU", "Slot", "State", "Time(s)", "Running(s)", "Runnable(s)", "Blocked(s)",
            "Offline(s)", "Steal(s)", "Pri", "Credit", "Overruns");
        for (final VcpuInfo v : vcpus)
        {
            out.printf(row, name.apply(v.domid()), v.domid(), v.vcpu(), v.slot() < 0 ? "-" : Integer.toString(v.slot()),
                v.state().name().toLowerCase(Locale.ROOT), seconds(v.cpuTimeNs()), seconds(v.runningNs()), seconds(v.runnableNs()),
                seconds(v.blockedNs()), seconds(v.offlineNs()), seconds(v.stealNs()), v.priority().isEmpty() ? "-" : v.priority(),
                v.credit(), v.overruns());
        }
    }

    /**
     * {@code xl sched-credit}'s listing: the scheduler and its host-wide settings, then Name, ID,
     * Weight, Cap and the domain's own slice ({@code -}: the host's tslice).
     */
    static void printSched(final SchedInfo sched, final PrintWriter out)
    {
        printSchedHost(sched.host(), out);
        final String row = nameColumn(sched.domains().stream().map(SchedDomainInfo::name).toList()) + SCHED_COLUMNS;
        out.printf(row, "Name", "ID", "Weight", "Cap", "Slice(ms)");
        for (final SchedDomainInfo d : sched.domains())
        {
            out.printf(row, d.name(), d.domid(), d.weight(), d.capPercent(), d.sliceMs() == 0 ? "-" : d.sliceMs());
        }
    }

    /** The first line of {@link #printSched}, as {@code xl sched-credit}'s cpupool line. */
    static void printSchedHost(final SchedHostInfo host, final PrintWriter out)
    {
        out.printf("Scheduler %s: cpu_slots=%d tslice=%dms ratelimit=%dus tick=%dms%n", host.scheduler(), host.cpuSlots(),
            host.tsliceMs(), host.ratelimitUs(), host.tickMs());
    }

    /** @return the format of a name column as wide as the longest name, at least 16. */
    private static String nameColumn(final List<String> names)
    {
        return "%-" + Math.max(16, names.stream().mapToInt(String::length).max().orElse(0)) + "s";
    }

    private static String percent(final double value)
    {
        return String.format(Locale.ROOT, "%.1f", value);
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
