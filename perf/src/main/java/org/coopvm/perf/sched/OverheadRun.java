package org.coopvm.perf.sched;

import org.HdrHistogram.Histogram;
import org.coopvm.hypervisor.sched.SchedParams;
import org.coopvm.hypervisor.sched.runtime.CpuScheduler;
import org.coopvm.hypervisor.sched.runtime.SchedCounter;
import org.coopvm.perf.latency.RoundTripResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The scheduler's own cost on the real runtime, with {@value SchedBenchmarkConfig#OVERHEAD_VCPUS}
 * busy vCPUs ({@value #GUESTS} {@code cpu-burn} guests of {@value #VCPUS_PER_GUEST} vCPUs) on the
 * host's slots: the CPU time of the {@code cpu-scheduler} thread per wall second next to the
 * guests' vCPU threads' ({@code ThreadMXBean}), and the agent's duty cycles and grants. Then, on the
 * same busy host, live adjusts: a guest's weight (256 and 512) or slice (1 ms and the host's)
 * changed through {@link CpuScheduler#adjust(int, SchedParams)}, timed for the call and until the
 * agent has finished the duty cycle that applied it (the algorithm asked about every busy slot
 * with the new parameters, its decision carried out).
 *
 * <p>Thread safety: one thread.
 */
final class OverheadRun
{
    static final int GUESTS = 4;
    static final int VCPUS_PER_GUEST = SchedBenchmarkConfig.OVERHEAD_VCPUS / GUESTS;
    private static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long MIN_GAP_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_GAP_NS = TimeUnit.MILLISECONDS.toNanos(3);
    private static final long EFFECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    /**
     * The cost of scheduling the busy vCPUs.
     *
     * @param algorithm       the scheduler.
     * @param schedulerCpu    the agent thread's CPU, fraction of one CPU.
     * @param guestsCpu       the guests' vCPU threads' CPU, in CPUs.
     * @param dutyCyclesPerS  the agent's duty cycles per second.
     * @param grantsPerS      slots granted per second.
     * @param enforcement     overruns and suspensions during the window.
     * @param adjust          the live adjusts, when measured.
     */
    record Result(String algorithm, double schedulerCpu, double guestsCpu, double dutyCyclesPerS, double grantsPerS,
        SchedHost.Enforcement enforcement, Adjusts adjust)
    {
    }

    /**
     * Live adjusts.
     *
     * @param call       how long the call took.
     * @param effect     from the call to the end of the duty cycle that applied it.
     * @param preempting adjusts whose first decision raised a preempt flag.
     */
    record Adjusts(RoundTripResult call, RoundTripResult effect, long preempting)
    {
    }

    private OverheadRun()
    {
    }

    /**
     * @param host    a host without guests (it has none again afterwards).
     * @param warmup  run time before the window.
     * @param window  the window.
     * @param adjusts live adjusts to time after the window, 0 for none.
     * @param seed    the adjusts' seed.
     * @return the cost.
     */
    static Result measure(final SchedHost host, final Duration warmup, final Duration window, final int adjusts, final long seed)
    {
        try
        {
            for (int i = 0; i < GUESTS; i++)
            {
                host.boot("burn4", VCPUS_PER_GUEST, FairnessRun.WORKLOAD, 256, true);
            }
            SchedHost.pause(warmup);
            final CpuScheduler cpu = host.cpu();
            final List<Thread> vcpus = new ArrayList<>();
            host.guests().forEach(guest -> vcpus.addAll(guest.vcpus()));
            final long schedulerBefore = host.schedulerCpuNs();
            final long guestsBefore = SchedHost.cpuNs(vcpus);
            final long cyclesBefore = cpu.counter(SchedCounter.DUTY_CYCLES);
            final long grantsBefore = cpu.counter(SchedCounter.GRANTS);
            final SchedHost.Enforcement enforcementBefore = host.enforcement();
            final long startNs = System.nanoTime();
            SchedHost.pause(window);
            final double seconds = (System.nanoTime() - startNs) / 1e9;
            final double schedulerCpu = (host.schedulerCpuNs() - schedulerBefore) / 1e9 / seconds;
            final double guestsCpu = (SchedHost.cpuNs(vcpus) - guestsBefore) / 1e9 / seconds;
            final double cycles = (cpu.counter(SchedCounter.DUTY_CYCLES) - cyclesBefore) / seconds;
            final double grants = (cpu.counter(SchedCounter.GRANTS) - grantsBefore) / seconds;
            final SchedHost.Enforcement enforcement = host.enforcement().since(enforcementBefore);
            return new Result(host.algorithm(), schedulerCpu, guestsCpu, cycles, grants, enforcement,
                adjusts == 0 ? null : adjusts(host, adjusts, new SplittableRandom(seed)));
        }
        finally
        {
            host.clearGuests();
        }
    }

    private static Adjusts adjusts(final SchedHost host, final int samples, final SplittableRandom random)
    {
        final CpuScheduler cpu = host.cpu();
        final Histogram call = new Histogram(HIGHEST_NS, 3);
        final Histogram effect = new Histogram(HIGHEST_NS, 3);
        long preempting = 0;
        for (int i = 0; i < samples; i++)
        {
            LockSupport.parkNanos(random.nextLong(MIN_GAP_NS, MAX_GAP_NS));
            final int domid = host.guests().get(random.nextInt(host.guests().size())).domid();
            final SchedParams params = (i & 2) == 0 ?
                SchedParams.DEFAULTS.withWeight((i & 1) == 0 ? 512 : 256) :
                SchedParams.DEFAULTS.withSliceMs((i & 1) == 0 ? 1 : SchedParams.HOST_SLICE);
            final long preemptionsBefore = cpu.counter(SchedCounter.PREEMPTIONS);
            final long cyclesBefore = cpu.counter(SchedCounter.DUTY_CYCLES);
            final long startNs = System.nanoTime();
            if (!cpu.adjust(domid, params))
            {
                throw new IllegalStateException("the scheduler does not know dom" + domid);
            }
            final long returnedNs = System.nanoTime();
            awaitApplied(cpu, cyclesBefore);
            final long appliedNs = System.nanoTime();
            call.recordValue(Math.min(HIGHEST_NS, returnedNs - startNs));
            effect.recordValue(Math.min(HIGHEST_NS, appliedNs - startNs));
            preempting += cpu.counter(SchedCounter.PREEMPTIONS) > preemptionsBefore ? 1 : 0;
        }
        return new Adjusts(RoundTripResult.of(call), RoundTripResult.of(effect), preempting);
    }

    /**
     * Wait until a duty cycle that began after the change has ended: {@link CpuScheduler#sleepNs()}
     * takes the agent's lock (so no duty cycle is half done) and answers 0 while a change waits for
     * one. Each new duty cycle is checked that way; in between, the wait reads the cycle counter
     * without the lock and yields its CPU (on a small machine a spinning waiter would delay the agent).
     */
    private static void awaitApplied(final CpuScheduler cpu, final long cyclesBefore)
    {
        final long deadlineNs = System.nanoTime() + EFFECT_TIMEOUT_NS;
        long seen = cyclesBefore;
        while (System.nanoTime() - deadlineNs < 0)
        {
            final long cycles = cpu.counter(SchedCounter.DUTY_CYCLES);
            if (cycles != seen)
            {
                seen = cycles;
                if (cpu.sleepNs() != 0)
                {
                    return;
                }
            }
            Thread.yield();
        }
        throw new IllegalStateException("no duty cycle applied a live adjust within 5 s");
    }
}
