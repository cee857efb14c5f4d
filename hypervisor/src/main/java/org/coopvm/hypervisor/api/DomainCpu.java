package org.coopvm.hypervisor.api;

/**
 * A domain's CPU as the host sees it, part of {@link DomainInfo}: its scheduling parameters and
 * what it got over the last sampling period (one second), as {@code xentop} shows it.
 *
 * @param weight       its weight.
 * @param capPercent   its cap in percent of one slot, 0 = none.
 * @param sliceMs      its own slice, 0 = the host's.
 * @param cpuPercent   CPU its vCPUs used over the last period, in percent of one slot (up to 100 per
 *                     vCPU): the CPU time the scheduler charged them (their threads' schedstat).
 * @param stealPercent time its vCPUs spent runnable without a slot or offline over the last period,
 *                     in percent of one vCPU's time (summed over its vCPUs, as the CPU).
 * @param stealNs      its vCPUs' steal time so far (runnable + offline).
 *
 * <p>Thread safety: immutable.
 */
public record DomainCpu(int weight, int capPercent, int sliceMs, double cpuPercent, double stealPercent, long stealNs)
{
}
