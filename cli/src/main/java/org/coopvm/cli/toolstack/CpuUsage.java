package org.coopvm.cli.toolstack;

import org.agrona.concurrent.NanoClock;
import org.coopvm.hypervisor.sched.runtime.CpuScheduler;
import org.coopvm.hypervisor.sched.runtime.VcpuSchedInfo;

import java.util.HashMap;
import java.util.Map;

/**
 * Each domain's CPU and steal over the last period, as {@code xentop} shows them: every
 * {@value #PERIOD_MS} ms (a housekeeping task) it reads the CPU scheduler's books (the CPU time
 * charged to each vCPU, its steal time) and keeps the change since the previous reading.
 *
 * <p>Thread safety: {@link #run()} on the housekeeping thread; {@link #load(int)} from any thread.
 */
final class CpuUsage implements Runnable
{
    /** How often it samples, and the period its figures cover. */
    static final long PERIOD_MS = 1000;

    private final CpuScheduler scheduler;
    private final NanoClock clock;
    private Map<Integer, Sample> last = Map.of();
    private volatile Map<Integer, Load> loads = Map.of();

    CpuUsage(final CpuScheduler scheduler, final NanoClock clock)
    {
        this.scheduler = scheduler;
        this.clock = clock;
    }

    @Override
    public synchronized void run()
    {
        final long nowNs = clock.nanoTime();
        final Map<Integer, Sample> samples = new HashMap<>();
        for (final VcpuSchedInfo vcpu : scheduler.vcpus(-1))
        {
            samples.merge(vcpu.domid(), new Sample(nowNs, vcpu.cpuNs(), vcpu.stealNs()),
                (a, b) -> new Sample(nowNs, a.cpuNs() + b.cpuNs(), a.stealNs() + b.stealNs()));
        }
        final Map<Integer, Load> next = new HashMap<>();
        samples.forEach((domid, sample) ->
        {
            final Sample before = last.get(domid);
            if (before != null && sample.atNs() > before.atNs())
            {
                final double periodNs = sample.atNs() - before.atNs();
                next.put(domid, new Load(100.0 * (sample.cpuNs() - before.cpuNs()) / periodNs,
                    100.0 * (sample.stealNs() - before.stealNs()) / periodNs));
            }
        });
        last = samples;
        loads = Map.copyOf(next);
    }

    /**
     * @param domid a domain.
     * @return its CPU and steal over the last period; zeros before its first full period.
     */
    Load load(final int domid)
    {
        return loads.getOrDefault(domid, Load.NONE);
    }

    /**
     * CPU and steal of a domain over one period, each in percent of one slot's time, summed over
     * its vCPUs.
     *
     * @param cpuPercent   CPU charged to its vCPUs.
     * @param stealPercent time its vCPUs were runnable without a slot, or offline.
     */
    record Load(double cpuPercent, double stealPercent)
    {
        static final Load NONE = new Load(0, 0);
    }

    private record Sample(long atNs, long cpuNs, long stealNs)
    {
    }
}
