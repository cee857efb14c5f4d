package org.coopvm.rings.usage;

/**
 * The CPU part of a usage page entry, reserved for the scheduler issue (all 0 until it fills them).
 *
 * <p>Thread safety: immutable.
 *
 * @param weight          credit scheduler weight (Xen: 1..65535, default 256).
 * @param capPercent      cap in % of one CPU, 0 = none.
 * @param cpuTimeNs       CPU time the domain's vCPUs used since creation, ns.
 * @param stealNs         runnable + offline time of its vCPUs since creation, ns.
 * @param usagePermille   CPU used over the last period, permille of one CPU.
 * @param runnableVcpus   vCPUs waiting for a slot now.
 * @param creditState     the scheduler's state code for the domain.
 */
public record DomainCpu(int weight, int capPercent, long cpuTimeNs, long stealNs, int usagePermille, int runnableVcpus,
    int creditState)
{
    /** Not filled. */
    public static final DomainCpu UNKNOWN = new DomainCpu(0, 0, 0, 0, 0, 0, 0);
}
