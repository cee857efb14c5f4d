package org.coopvm.hypervisor.metrics;

import org.coopvm.hypervisor.sched.runtime.CpuScheduler;
import org.coopvm.hypervisor.sched.runtime.VcpuSchedInfo;

import java.util.function.ToDoubleFunction;

/**
 * One per-domain CPU figure for a function counter, read from the CPU scheduler's books at scrape
 * time. It never goes down: once the scheduler has forgotten a dying domain (its meters go a little
 * later), it keeps the last value read.
 *
 * <p>Thread safety: read by the scrape thread (takes the CPU scheduler's lock); {@link #read}
 * is synchronized.
 */
final class DomainCpuReader
{
    /** CPU time charged to its vCPUs, seconds. */
    static final Figure CPU_SECONDS = (cpu, domid) -> sum(cpu, domid, VcpuSchedInfo::cpuNs) / 1e9;
    /** Runnable + offline time of its vCPUs, seconds. */
    static final Figure STEAL_SECONDS = (cpu, domid) -> sum(cpu, domid, VcpuSchedInfo::stealNs) / 1e9;
    /** Overruns of its vCPUs. */
    static final Figure OVERRUNS = (cpu, domid) -> sum(cpu, domid, VcpuSchedInfo::overruns);
    /** Its suspensions. */
    static final Figure SUSPENSIONS = (cpu, domid) -> cpu.suspensions(domid);

    private final CpuScheduler cpu;
    private final int domid;
    private final Figure figure;
    private double last;

    DomainCpuReader(final CpuScheduler cpu, final int domid, final Figure figure)
    {
        this.cpu = cpu;
        this.domid = domid;
        this.figure = figure;
    }

    synchronized double read()
    {
        last = Math.max(last, figure.of(cpu, domid));
        return last;
    }

    private static double sum(final CpuScheduler cpu, final int domid, final ToDoubleFunction<VcpuSchedInfo> value)
    {
        return cpu.vcpus(domid).stream().mapToDouble(value).sum();
    }

    /** A figure of one domain. */
    @FunctionalInterface
    interface Figure
    {
        double of(CpuScheduler cpu, int domid);
    }
}
