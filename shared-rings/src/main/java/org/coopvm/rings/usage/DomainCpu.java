package org.coopvm.rings.usage;

/**
 * The CPU part of a usage page entry, from the host's CPU scheduler (all 0 when the host has none or
 * does not know the domain).
 *
 * <p>Thread safety: immutable.
 *
 * @param weight          credit scheduler weight (Xen: 1..65535, default 256).
 * @param capPercent      cap in % of one CPU, 0 = none.
 * @param cpuTimeNs       CPU time charged to the domain's vCPUs since creation (their threads' CPU time), ns.
 * @param stealNs         runnable + offline time of its vCPUs since creation, ns.
 * @param usagePermille   CPU used over the last publish period, permille of one CPU slot (2 busy vCPUs: up to 2000).
 * @param runnableVcpus   vCPUs waiting for a slot now (those holding one are running, not counted).
 * @param creditState     best and worst priority of its vCPUs and whether it is suspended
 *                        ({@link UsageEntryDescriptor#CREDIT_STATE_OFFSET}); read it with the accessors below.
 */
public record DomainCpu(int weight, int capPercent, long cpuTimeNs, long stealNs, int usagePermille, int runnableVcpus,
    int creditState)
{
    /** Not filled. */
    public static final DomainCpu UNKNOWN = new DomainCpu(0, 0, 0, 0, 0, 0, 0);

    /**
     * @param best      the best priority among the domain's vCPUs.
     * @param worst     the worst.
     * @param suspended whether the domain is suspended for ignoring preemption.
     * @return the credit state code as the page carries it.
     */
    public static int creditState(final CpuPriority best, final CpuPriority worst, final boolean suspended)
    {
        return best.code() | worst.code() << UsageEntryDescriptor.CREDIT_STATE_WORST_SHIFT |
            (suspended ? UsageEntryDescriptor.CREDIT_STATE_SUSPENDED : 0);
    }

    /** @return the best priority among its vCPUs (BOOST before UNDER, OVER, IDLE, PARKED). */
    public CpuPriority bestPriority()
    {
        return CpuPriority.of(creditState & UsageEntryDescriptor.CREDIT_STATE_PRIORITY_MASK);
    }

    /** @return the worst priority among its vCPUs. */
    public CpuPriority worstPriority()
    {
        return CpuPriority.of(creditState >>> UsageEntryDescriptor.CREDIT_STATE_WORST_SHIFT & UsageEntryDescriptor.CREDIT_STATE_PRIORITY_MASK);
    }

    /** @return whether the domain is suspended for ignoring preemption (its vCPUs get no slot until the penalty ends). */
    public boolean suspended()
    {
        return (creditState & UsageEntryDescriptor.CREDIT_STATE_SUSPENDED) != 0;
    }
}
