package org.coopvm.cli.toolstack;

import org.coopvm.hypervisor.api.DomainCpu;
import org.coopvm.hypervisor.api.Errno;
import org.coopvm.hypervisor.api.HostControlException;
import org.coopvm.hypervisor.api.SchedDomainInfo;
import org.coopvm.hypervisor.api.SchedDomainRequest;
import org.coopvm.hypervisor.api.SchedHostInfo;
import org.coopvm.hypervisor.api.SchedHostRequest;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainStatus;
import org.coopvm.hypervisor.sched.SchedParams;
import org.coopvm.hypervisor.sched.SchedulerSettings;
import org.coopvm.hypervisor.sched.runtime.CpuScheduler;
import org.coopvm.hypervisor.sched.runtime.DomainSchedInfo;

/**
 * The toolstack's CPU scheduling operations, as {@code xl sched-credit}'s: read and change a
 * domain's weight, cap and slice, and the host's slice and rate limit, through the
 * {@link CpuScheduler} (which validates the whole change before any of it applies, and tells the
 * trace who changed what); and each domain's CPU figures for {@code coop list}.
 *
 * <p>Thread safety: any thread (API handlers); each operation is one call into the CPU scheduler.
 */
final class SchedControl
{
    /** Who changes parameters through the management API, as the trace says it. */
    static final String BY = "coop sched-credit";

    private final CpuScheduler scheduler;
    private final CpuUsage usage;

    SchedControl(final CpuScheduler scheduler, final CpuUsage usage)
    {
        this.scheduler = scheduler;
        this.usage = usage;
    }

    SchedHostInfo host()
    {
        return host(scheduler.settings());
    }

    /** @return the domain's parameters, or null when the scheduler does not know it (being destroyed). */
    SchedDomainInfo domain(final Domain domain)
    {
        return scheduler.domain(domain.domid()).map(d -> info(domain, d.configured())).orElse(null);
    }

    SchedDomainInfo set(final Domain domain, final SchedDomainRequest change)
    {
        if (change.changesNothing())
        {
            throw new HostControlException(Errno.EINVAL, "nothing to change for " + domain.name() +
                ": give a weight, a cap or a slice");
        }
        try
        {
            return scheduler.adjust(domain.domid(), p -> apply(p, change), BY).map(p -> info(domain, p))
                .orElseThrow(() -> new HostControlException(Errno.ENOENT, "no domain " + domain.name()));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new HostControlException(Errno.EINVAL, "cannot change the scheduling of " + domain.name() + ": " +
                ex.getMessage() + "; nothing changed");
        }
    }

    SchedHostInfo setHost(final SchedHostRequest change)
    {
        if (change.changesNothing())
        {
            throw new HostControlException(Errno.EINVAL, "nothing to change: give a time slice or a rate limit");
        }
        try
        {
            return host(scheduler.adjust(s -> apply(s, change), BY));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new HostControlException(Errno.EINVAL, "cannot change the scheduler's settings: " + ex.getMessage() +
                "; nothing changed");
        }
    }

    /**
     * @return the domain's configured parameters and its CPU over the last period, null when the
     *         scheduler does not know it. A domain that has shut down (and is kept, {@code preserve})
     *         uses no CPU and wants none: its offline vCPUs are not shown as steal.
     */
    DomainCpu cpu(final Domain domain)
    {
        final DomainSchedInfo info = scheduler.domain(domain.domid()).orElse(null);
        if (info == null)
        {
            return null;
        }
        final SchedParams params = info.configured();
        final CpuUsage.Load load = domain.status() == DomainStatus.SHUTDOWN ? CpuUsage.Load.NONE : usage.load(domain.domid());
        return new DomainCpu(params.weight(), params.capPercent(), params.sliceMs(), load.cpuPercent(), load.stealPercent(),
            info.stealNs());
    }

    private SchedHostInfo host(final SchedulerSettings settings)
    {
        return new SchedHostInfo(scheduler.algorithm(), settings.slots(), settings.sliceMs(), settings.tickMs(),
            settings.rateLimitUs());
    }

    private static SchedDomainInfo info(final Domain domain, final SchedParams params)
    {
        return new SchedDomainInfo(domain.domid(), domain.name(), params.weight(), params.capPercent(), params.sliceMs());
    }

    private static SchedParams apply(final SchedParams params, final SchedDomainRequest change)
    {
        return new SchedParams(change.weight() == null ? params.weight() : change.weight(),
            change.capPercent() == null ? params.capPercent() : change.capPercent(),
            change.sliceMs() == null ? params.sliceMs() : change.sliceMs());
    }

    /** Both values checked together: a shorter slice with a shorter rate limit is one valid change. */
    private static SchedulerSettings apply(final SchedulerSettings settings, final SchedHostRequest change)
    {
        return new SchedulerSettings(settings.slots(), change.tsliceMs() == null ? settings.sliceMs() : change.tsliceMs(),
            settings.tickMs(), change.ratelimitUs() == null ? settings.rateLimitUs() : change.ratelimitUs());
    }
}
