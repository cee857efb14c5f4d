package org.coopvm.perf.sched;

import org.coopvm.hypervisor.sched.SchedParams;
import org.coopvm.hypervisor.sched.SchedVcpu;
import org.coopvm.hypervisor.sched.Scheduler;
import org.coopvm.hypervisor.sched.SchedulerSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The cost of a scheduling decision in the pure algorithm, on a virtual clock (no threads, no
 * shared memory: only the algorithm's own work). {@value #VCPUS} always-busy vCPUs in
 * {@value #DOMAINS} domains of different weights share {@code slots} slots with Xen's settings
 * (30 ms slice, 10 ms tick, 1 ms rate limit), as the runtime drives them: each slot is decided once
 * per slice (the clock advances by slice / slots per decision), the vCPU leaving it charged for the
 * CPU it used, and every 10 ms every holder is charged and the algorithm ticks (credit's accounting
 * runs once per slice). A decision's cost is the loop's time over the decisions made: charge +
 * schedule + its share of the ticks. A timed loop rather than JMH: the figure sits next to the
 * runtime's own in one command, and the loop is long enough (hundreds of thousands of decisions a
 * round, one warm-up round, the median round) for the JIT to have done its work.
 *
 * <p>Thread safety: one thread.
 */
final class DecisionCost
{
    static final int VCPUS = 16;
    static final int DOMAINS = 4;
    private static final int[] WEIGHTS = {256, 512, 768, 1024};
    private static final long START_NS = 1_000_000_000L;

    private DecisionCost()
    {
    }

    /**
     * @param algorithm makes a fresh algorithm.
     * @param slots     the slots.
     * @param decisions decisions per round.
     * @param rounds    timed rounds (after one warm-up round).
     * @return the median round's ns per decision.
     */
    static double nsPerDecision(final Supplier<Scheduler> algorithm, final int slots, final int decisions, final int rounds)
    {
        round(algorithm.get(), slots, decisions);
        final List<Double> perDecision = new ArrayList<>();
        for (int r = 0; r < rounds; r++)
        {
            perDecision.add(round(algorithm.get(), slots, decisions));
        }
        return perDecision.stream().sorted().toList().get(rounds / 2);
    }

    private static double round(final Scheduler s, final int slots, final int decisions)
    {
        final SchedulerSettings settings = SchedulerSettings.defaults(slots);
        s.init(settings);
        long nowNs = START_NS;
        for (int i = 0; i < VCPUS; i++)
        {
            final SchedVcpu v = new SchedVcpu(1 + i % DOMAINS, i / DOMAINS, SchedParams.DEFAULTS.withWeight(WEIGHTS[i % DOMAINS]));
            s.insert(v, nowNs);
            s.wake(v, nowNs);
        }
        final SchedVcpu[] current = new SchedVcpu[slots];
        final long[] chargedUpTo = new long[slots];
        final long stepNs = settings.sliceNs() / slots;
        long nextTickNs = nowNs + settings.tickNs();
        long chosen = 0;
        final long startNs = System.nanoTime();
        for (int i = 0; i < decisions; i++)
        {
            nowNs += stepNs;
            while (nowNs - nextTickNs >= 0)
            {
                for (int slot = 0; slot < slots; slot++)
                {
                    charge(s, current[slot], chargedUpTo, slot, nextTickNs);
                }
                s.tick(nextTickNs);
                nextTickNs += settings.tickNs();
            }
            final int slot = i % slots;
            charge(s, current[slot], chargedUpTo, slot, nowNs);
            current[slot] = s.schedule(slot, current[slot], nowNs).next();
            chosen += current[slot] == null ? 0 : current[slot].vcpuId();
        }
        final long elapsedNs = System.nanoTime() - startNs;
        if (chosen < 0)
        {
            throw new IllegalStateException("unreachable: keeps the loop's results alive");
        }
        return (double)elapsedNs / decisions;
    }

    private static void charge(final Scheduler s, final SchedVcpu v, final long[] chargedUpTo, final int slot, final long nowNs)
    {
        if (v != null && nowNs - chargedUpTo[slot] > 0)
        {
            s.charge(v, nowNs - chargedUpTo[slot], nowNs);
        }
        chargedUpTo[slot] = nowNs;
    }
}
