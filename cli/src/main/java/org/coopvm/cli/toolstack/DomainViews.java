package org.coopvm.cli.toolstack;

import org.agrona.concurrent.SystemEpochClock;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.api.BalloonState;
import org.coopvm.hypervisor.api.DomainCpu;
import org.coopvm.hypervisor.api.DomainInfo;
import org.coopvm.hypervisor.api.DomainState;
import org.coopvm.hypervisor.api.GuestSwapInfo;
import org.coopvm.hypervisor.api.ShutdownReason;
import org.coopvm.hypervisor.api.VcpuInfo;
import org.coopvm.hypervisor.api.VcpuState;
import org.coopvm.hypervisor.config.DomainConfig;
import org.coopvm.hypervisor.config.Isolation;
import org.coopvm.hypervisor.config.LifecycleAction;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.hypervisor.domain.DomainStatus;
import org.coopvm.hypervisor.sched.runtime.DomainSchedInfo;
import org.coopvm.hypervisor.sched.runtime.VcpuSchedInfo;
import org.coopvm.rings.balloon.BalloonStatsRead;
import org.coopvm.rings.balloon.StatTag;
import org.coopvm.rings.mem.Pages;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * Translations between the management API's records and the hypervisor's domains: a config
 * into a {@link DomainSpec}, a domain into {@link DomainInfo} and {@link VcpuInfo}, a name or
 * domid into a domain.
 *
 * <p>Stateless; any thread (reads take the hypervisor lock).
 */
final class DomainViews
{
    private static final long KIB_PER_MIB = 1024;

    private DomainViews()
    {
    }

    static DomainSpec spec(final DomainConfig config)
    {
        return new DomainSpec(config.name(), config.vcpus(), config.memoryMib() * KIB_PER_MIB, config.maxmemMib() * KIB_PER_MIB,
            config.minmemMib() * KIB_PER_MIB, config.isolation() == Isolation.IN_PROCESS, config.workload(), workloadArgs(config),
            DomainSpec.MAX_GRANT_FRAMES, DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES, DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES,
            config.deflateOnPressure()).withCoopPolicy(config.coopPolicy(), config.coopPolicyArgMap()).withSched(config.sched());
    }

    /**
     * @param config a domain config.
     * @return its {@code workload_args} ({@code key=value} strings) as a map, in order.
     * @throws IllegalArgumentException naming an entry that is not {@code key=value}.
     */
    static Map<String, String> workloadArgs(final DomainConfig config)
    {
        final Map<String, String> args = new LinkedHashMap<>();
        for (final String arg : config.workloadArgs())
        {
            final int equals = arg.indexOf('=');
            if (equals <= 0)
            {
                throw new IllegalArgumentException("workload_args entry \"" + arg + "\" is not key=value");
            }
            args.put(arg.substring(0, equals), arg.substring(equals + 1));
        }
        return args;
    }

    static DomainInfo info(final Hypervisor hypervisor, final Domain domain, final DomainRecord record, final BalloonState balloon,
        final DomainCpu cpu)
    {
        return hypervisor.locked(() -> new DomainInfo(domain.domid(), domain.name(), state(domain, record),
            domain.shutdownCode() < 0 ? null : ShutdownReason.fromCode(domain.shutdownCode()), domain.nrVcpus(),
            memoryKib(domain.memory().physmap().populatedPages()), memoryKib(domain.memory().physmap().maxPages()),
            domain.spec().minmemKib(), domain.memory().residentBytes(), record.config().isolation(), record.guest().pid(),
            cpuTimeNs(hypervisor, domain, record), SystemEpochClock.INSTANCE.time() - record.createdAtMs(), balloon, cpu,
            swap(hypervisor, domain.domid())));
    }

    /** @return the swap figures of the guest's last accepted balloon stats, null when none. */
    private static GuestSwapInfo swap(final Hypervisor hypervisor, final int domid)
    {
        return hypervisor.usagePublisher().stats(domid).flatMap(BalloonStatsRead::accepted)
            .filter(stats -> stats.isValid(StatTag.SWAP_IN) && stats.isValid(StatTag.SWAP_OUT))
            .map(stats -> new GuestSwapInfo(stats.kib(StatTag.SWAP_IN), stats.kib(StatTag.SWAP_OUT),
                stats.isValid(StatTag.MAJOR_FAULTS) ? stats.value(StatTag.MAJOR_FAULTS) : 0))
            .orElse(null);
    }

    /**
     * A domain that shut down and whose {@code on_*} action destroys or restarts it is shown dying
     * until it is gone; SHUTDOWN means the domain is kept ({@code preserve}).
     */
    private static DomainState state(final Domain domain, final DomainRecord record)
    {
        final ShutdownReason reason = ShutdownReason.fromCode(domain.shutdownCode());
        if (domain.status() == DomainStatus.SHUTDOWN && reason != null &&
            ShutdownActions.actionFor(record, reason) != LifecycleAction.PRESERVE)
        {
            return DomainState.DYING;
        }
        return DomainState.valueOf(domain.status().name());
    }

    /**
     * From the CPU scheduler's books (the one writer of runstates), times brought up to now, in one
     * reading: by domid, then vCPU.
     *
     * @param domid  a domain, or -1 for all.
     * @param wanted which domains to show (those the toolstack manages).
     */
    static List<VcpuInfo> vcpus(final Hypervisor hypervisor, final int domid, final IntPredicate wanted)
    {
        final List<VcpuInfo> vcpus = new ArrayList<>();
        for (final VcpuSchedInfo vcpu : hypervisor.cpuScheduler().vcpus(domid))
        {
            if (!wanted.test(vcpu.domid()))
            {
                continue;
            }
            vcpus.add(new VcpuInfo(vcpu.domid(), vcpu.vcpu(), VcpuState.values()[vcpu.runstate()], vcpu.cpuNs(), vcpu.slot(),
                vcpu.runningNs(), vcpu.runnableNs(), vcpu.blockedNs(), vcpu.offlineNs(), vcpu.stealNs(), vcpu.state().priority().name(),
                vcpu.state().credit(), vcpu.overruns()));
        }
        vcpus.sort(Comparator.comparingInt(VcpuInfo::domid).thenComparingInt(VcpuInfo::vcpu));
        return vcpus;
    }

    static Optional<Domain> lookup(final Hypervisor hypervisor, final String nameOrDomid)
    {
        if (nameOrDomid != null && !nameOrDomid.isEmpty() && nameOrDomid.chars().allMatch(Character::isDigit))
        {
            try
            {
                return hypervisor.domain(Integer.parseInt(nameOrDomid)).filter(domain -> !domain.isControlDomain());
            }
            catch (final NumberFormatException ex)
            {
                return Optional.empty();
            }
        }
        return nameOrDomid == null ? Optional.empty() : hypervisor.domain(nameOrDomid);
    }

    private static long memoryKib(final long pages)
    {
        return pages * (Pages.PAGE_SIZE / 1024);
    }

    private static long cpuTimeNs(final Hypervisor hypervisor, final Domain domain, final DomainRecord record)
    {
        final long measured = record.guest().cpuTimeNs();
        if (measured >= 0)
        {
            return measured;
        }
        return hypervisor.cpuScheduler().domain(domain.domid()).map(DomainSchedInfo::cpuNs).orElse(0L);
    }
}
