package org.coopvm.hypervisor.usage;

import org.coopvm.hypervisor.sched.Priority;
import org.coopvm.hypervisor.sched.runtime.CpuScheduler;
import org.coopvm.hypervisor.sched.runtime.DomainSchedInfo;
import org.coopvm.hypervisor.sched.runtime.VcpuSchedInfo;
import org.coopvm.rings.usage.CpuPriority;
import org.coopvm.rings.usage.DomainCpu;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the usage page gets its CPU figures: the CPU scheduler's books ({@link #of(CpuScheduler)}).
 * The publisher turns the running totals into usage over its period and the host's load.
 *
 * <p>Thread safety: called from the usage publisher's thread; implementations take their own
 * locks and must not call back into the publisher.
 */
public interface CpuUsageSource
{
    /** No CPU scheduler: the page's CPU fields read 0. */
    CpuUsageSource NONE = new CpuUsageSource()
    {
        @Override
        public int slots()
        {
            return 0;
        }

        @Override
        public List<DomainCpuTotals> domains()
        {
            return List.of();
        }
    };

    /** @return physical CPU slots P. */
    int slots();

    /** @return every domain the scheduler knows, with its totals now. */
    List<DomainCpuTotals> domains();

    /**
     * One domain's CPU figures at a moment, as running totals.
     *
     * @param domid         the domain.
     * @param vcpus         its vCPUs.
     * @param weight        its weight (what it runs with).
     * @param capPercent    its cap, 0 = none.
     * @param cpuNs         CPU time charged since creation, ns.
     * @param stealNs       runnable + offline time of its vCPUs since creation, ns.
     * @param runnableVcpus vCPUs waiting for a slot now.
     * @param creditState   the page's credit state code ({@link DomainCpu#creditState}).
     */
    record DomainCpuTotals(int domid, int vcpus, int weight, int capPercent, long cpuNs, long stealNs, int runnableVcpus,
                           int creditState)
    {
    }

    /**
     * @param scheduler the host's CPU scheduler.
     * @return a source reading its books ({@link CpuScheduler#domains()}, one lock per publish).
     */
    static CpuUsageSource of(final CpuScheduler scheduler)
    {
        return new CpuUsageSource()
        {
            @Override
            public int slots()
            {
                return scheduler.settings().slots();
            }

            @Override
            public List<DomainCpuTotals> domains()
            {
                final List<DomainSchedInfo> infos = scheduler.domains();
                final List<DomainCpuTotals> totals = new ArrayList<>(infos.size());
                for (final DomainSchedInfo info : infos)
                {
                    totals.add(new DomainCpuTotals(info.domid(), info.vcpus().size(), info.effective().weight(),
                        info.effective().capPercent(), info.cpuNs(), info.stealNs(), info.runnableVcpus(), creditState(info)));
                }
                return totals;
            }
        };
    }

    /**
     * @param info a domain's scheduling view.
     * @return the best and worst priority of its vCPUs and whether it is suspended, as the page encodes them.
     */
    static int creditState(final DomainSchedInfo info)
    {
        CpuPriority best = CpuPriority.NONE;
        CpuPriority worst = CpuPriority.NONE;
        for (final VcpuSchedInfo vcpu : info.vcpus())
        {
            final CpuPriority priority = pagePriority(vcpu.state().priority());
            best = best == CpuPriority.NONE || priority.code() < best.code() ? priority : best;
            worst = priority.code() > worst.code() ? priority : worst;
        }
        return DomainCpu.creditState(best, worst, info.suspended());
    }

    /**
     * @param priority the algorithm's priority.
     * @return its code on the page.
     */
    static CpuPriority pagePriority(final Priority priority)
    {
        return switch (priority)
        {
            case BOOST -> CpuPriority.BOOST;
            case UNDER -> CpuPriority.UNDER;
            case OVER -> CpuPriority.OVER;
            case IDLE -> CpuPriority.IDLE;
            case PARKED -> CpuPriority.PARKED;
        };
    }
}
