package org.coopvm.hypervisor.sched;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * A deterministic host for a {@link Scheduler}: a virtual clock, P slots, and simulated vCPUs that
 * burn CPU while they hold a slot (forever, or for a burst and then block). It follows the runtime's
 * side of the protocol: charges the CPU used before each tick and each schedule of a slot, calls
 * {@link Scheduler#tick} every tickMs, asks again when a {@link Scheduler.Decision#untilNs()} passes,
 * and after a wake, tick or adjust asks the free slots, then the occupied ones. Preemption is
 * immediate (a cooperative guest that yields at once), or takes a set hand-off time as in the runtime.
 *
 * <p>It checks the scheduler on every decision: never a vCPU that is blocked or already on another
 * slot, never an untilNs in the past, and never a free slot while a runnable, unparked vCPU waits.
 */
final class SchedSimulator
{
    static final long MS = 1_000_000L;
    static final long US = 1_000L;

    private final Scheduler scheduler;
    private final SchedulerSettings settings;
    private final SimVcpu[] holder;
    private final long[] untilNs;
    private final List<SimVcpu> vcpus = new ArrayList<>();
    private final Map<SchedVcpu, SimVcpu> byVcpu = new IdentityHashMap<>();
    private final PriorityQueue<Scripted> script = new PriorityQueue<>();
    private long nowNs;
    private long deliveredPercent = 100;
    private long handOffNs;
    private final SimVcpu[] leaving;
    private final long[] leavingUntilNs;
    private long nextTickNs;
    private long sequence;
    private long decisions;

    SchedSimulator(final Scheduler scheduler, final SchedulerSettings settings)
    {
        this.scheduler = scheduler;
        this.settings = settings;
        this.holder = new SimVcpu[settings.slots()];
        this.untilNs = new long[settings.slots()];
        this.leaving = new SimVcpu[settings.slots()];
        this.leavingUntilNs = new long[settings.slots()];
        java.util.Arrays.fill(untilNs, Long.MAX_VALUE);
        scheduler.init(settings);
        nextTickNs = settings.tickNs();
    }

    /** @return the scheduler under test. */
    Scheduler scheduler()
    {
        return scheduler;
    }

    /**
     * An overloaded host: a vCPU holding a slot gets only this share of a CPU (the slot's thread
     * waits for the host the rest of the time), and is charged that much.
     *
     * @param percent 1..100 (100 by default).
     */
    void cpuDeliveredPercent(final long percent)
    {
        deliveredPercent = percent;
    }

    /**
     * Cooperative preemption as the runtime does it: a vCPU the scheduler takes a slot from keeps
     * running (and using CPU, charged to it when it gives the slot back) for this long, and its
     * successor starts only then. 0 (the default): at once.
     *
     * @param ns the hand-off time.
     */
    void handOffNs(final long ns)
    {
        handOffNs = ns;
    }

    /** @return the virtual time. */
    long nowNs()
    {
        return nowNs;
    }

    /** @return schedule calls so far. */
    long decisions()
    {
        return decisions;
    }

    /** A blocked vCPU. */
    SimVcpu add(final int domid, final int vcpuId, final SchedParams params)
    {
        final SimVcpu v = new SimVcpu(new SchedVcpu(domid, vcpuId, params));
        vcpus.add(v);
        byVcpu.put(v.sched, v);
        scheduler.insert(v.sched, nowNs);
        return v;
    }

    /** A vCPU that is always runnable. */
    SimVcpu addBusy(final int domid, final SchedParams params)
    {
        final SimVcpu v = add(domid, 0, params);
        wake(v);
        return v;
    }

    /** Run {@code action} at virtual time {@code atNs}. */
    void at(final long atNs, final Consumer<SchedSimulator> action)
    {
        script.add(new Scripted(atNs, sequence++, action));
    }

    /** Wake {@code v} (busy until it blocks, or for {@code burstNs} of CPU when set). */
    void wake(final SimVcpu v)
    {
        wake(v, Long.MAX_VALUE);
    }

    /** Wake {@code v} for a burst of CPU, after which it blocks by itself. */
    void wake(final SimVcpu v, final long burstNs)
    {
        v.burstLeftNs = burstNs;
        if (v.runnable)
        {
            return;
        }
        v.runnable = true;
        v.wokeAtNs = nowNs;
        scheduler.wake(v.sched, nowNs);
        rescheduleAll();
    }

    /** Block {@code v}. */
    void block(final SimVcpu v)
    {
        if (!v.runnable)
        {
            return;
        }
        charge(v);
        v.runnable = false;
        scheduler.sleep(v.sched, nowNs);
        freeSlotOf(v);
    }

    /** {@code v}, running, yields its slot. */
    void yield(final SimVcpu v)
    {
        charge(v);
        scheduler.yield(v.sched, nowNs);
        freeSlotOf(v);
    }

    /** {@code from}, running, yields to {@code to}. */
    void yieldTo(final SimVcpu from, final SimVcpu to)
    {
        charge(from);
        scheduler.yieldTo(from.sched, to.sched, nowNs);
        freeSlotOf(from);
    }

    /** Live change of a domain's parameters. */
    void adjust(final int domid, final SchedParams params)
    {
        chargeAll();
        scheduler.adjust(domid, params, nowNs);
        rescheduleAll();
    }

    /** Advance virtual time to {@code endNs}. */
    void runUntil(final long endNs)
    {
        while (nowNs < endNs)
        {
            advance(nextEventNs(endNs));
            endHandOffs();
            finishBursts();
            runScript();
            if (nowNs >= nextTickNs)
            {
                chargeAll();
                scheduler.tick(nowNs);
                nextTickNs += settings.tickNs();
                rescheduleAll();
            }
            for (int slot = 0; slot < holder.length; slot++)
            {
                if (untilNs[slot] <= nowNs)
                {
                    scheduleSlot(slot);
                }
            }
        }
    }

    /** Advance virtual time by {@code durationNs}. */
    void runFor(final long durationNs)
    {
        runUntil(nowNs + durationNs);
    }

    /** @return the vCPU on {@code slot}, null when free. */
    SimVcpu on(final int slot)
    {
        return holder[slot];
    }

    private long nextEventNs(final long endNs)
    {
        long t = Math.min(endNs, nextTickNs);
        for (int slot = 0; slot < holder.length; slot++)
        {
            t = Math.min(t, untilNs[slot]);
            if (leaving[slot] != null)
            {
                t = Math.min(t, leavingUntilNs[slot]);
            }
            if (holder[slot] != null && holder[slot].burstLeftNs != Long.MAX_VALUE)
            {
                t = Math.min(t, nowNs + holder[slot].burstLeftNs);
            }
        }
        if (!script.isEmpty())
        {
            t = Math.min(t, Math.max(nowNs, script.peek().atNs));
        }
        return t;
    }

    private void advance(final long toNs)
    {
        final long elapsed = toNs - nowNs;
        for (int slot = 0; slot < holder.length; slot++)
        {
            final SimVcpu v = leaving[slot] != null ? leaving[slot] : holder[slot];
            if (v != null)
            {
                final long cpu = elapsed * deliveredPercent / 100;
                v.cpuNs += cpu;
                v.unchargedNs += cpu;
                if (v.burstLeftNs != Long.MAX_VALUE)
                {
                    v.burstLeftNs -= elapsed;
                }
            }
        }
        nowNs = toNs;
    }

    private void endHandOffs()
    {
        for (int slot = 0; slot < leaving.length; slot++)
        {
            if (leaving[slot] != null && leavingUntilNs[slot] <= nowNs)
            {
                endHandOff(slot);
            }
        }
    }

    private void endHandOff(final int slot)
    {
        final SimVcpu v = leaving[slot];
        leaving[slot] = null;
        charge(v);
    }

    private void finishBursts()
    {
        for (final SimVcpu v : holder)
        {
            if (v != null && v.burstLeftNs <= 0)
            {
                block(v);
            }
        }
    }

    private void runScript()
    {
        while (!script.isEmpty() && script.peek().atNs <= nowNs)
        {
            script.poll().action.accept(this);
        }
    }

    private void freeSlotOf(final SimVcpu v)
    {
        if (v.slot >= 0)
        {
            final int slot = v.slot;
            holder[slot] = null;
            v.slot = -1;
            untilNs[slot] = Long.MAX_VALUE;
            scheduleSlot(slot);
        }
        rescheduleAll();
    }

    private void rescheduleAll()
    {
        for (int slot = 0; slot < holder.length; slot++)
        {
            if (holder[slot] == null)
            {
                scheduleSlot(slot);
            }
        }
        for (int slot = 0; slot < holder.length; slot++)
        {
            if (holder[slot] != null)
            {
                scheduleSlot(slot);
            }
        }
        checkWorkConserving();
    }

    private void scheduleSlot(final int slot)
    {
        final SimVcpu cur = holder[slot];
        if (cur != null)
        {
            charge(cur);
        }
        decisions++;
        final Scheduler.Decision d = scheduler.schedule(slot, cur == null ? null : cur.sched, nowNs);
        final SimVcpu next = d.next() == null ? null : byVcpu.get(d.next());
        if (d.untilNs() <= nowNs)
        {
            throw new AssertionError("decision for slot " + slot + " at " + nowNs + " asks again at " + d.untilNs());
        }
        if (next != cur)
        {
            if (cur != null)
            {
                cur.slot = -1;
                cur.preemptions++;
                if (handOffNs > 0 && leaving[slot] == null)
                {
                    leaving[slot] = cur;
                    leavingUntilNs[slot] = nowNs + handOffNs;
                }
            }
            for (int s = 0; s < leaving.length; s++)
            {
                if (next != null && leaving[s] == next)
                {
                    endHandOff(s);
                }
            }
            if (next != null)
            {
                if (!next.runnable || next.slot >= 0)
                {
                    throw new AssertionError(next.sched + " given slot " + slot + " while " +
                        (next.runnable ? "on slot " + next.slot : "blocked"));
                }
                next.slot = slot;
                next.runs++;
                if (next.wokeAtNs >= 0)
                {
                    next.lastWakeToRunNs = nowNs - next.wokeAtNs;
                    next.maxWakeToRunNs = Math.max(next.maxWakeToRunNs, next.lastWakeToRunNs);
                    next.wokeAtNs = -1;
                }
            }
            holder[slot] = next;
        }
        untilNs[slot] = next == null ? Long.MAX_VALUE : d.untilNs();
    }

    private void checkWorkConserving()
    {
        boolean free = false;
        for (final SimVcpu v : holder)
        {
            free |= v == null;
        }
        if (!free)
        {
            return;
        }
        for (final SimVcpu v : vcpus)
        {
            if (v.runnable && v.slot < 0 && scheduler.state(v.sched).priority() != Priority.PARKED)
            {
                throw new AssertionError("a slot is free at " + nowNs + " while " + v.sched + " waits");
            }
        }
    }

    private void charge(final SimVcpu v)
    {
        if (v.unchargedNs > 0)
        {
            scheduler.charge(v.sched, v.unchargedNs, nowNs);
            v.unchargedNs = 0;
        }
    }

    private void chargeAll()
    {
        for (final SimVcpu v : holder)
        {
            if (v != null)
            {
                charge(v);
            }
        }
    }

    /** A simulated vCPU. */
    static final class SimVcpu
    {
        final SchedVcpu sched;
        boolean runnable;
        int slot = -1;
        long cpuNs;
        long unchargedNs;
        long burstLeftNs = Long.MAX_VALUE;
        long wokeAtNs = -1;
        long lastWakeToRunNs = -1;
        long maxWakeToRunNs = -1;
        long runs;
        long preemptions;

        SimVcpu(final SchedVcpu sched)
        {
            this.sched = sched;
        }

        /** @return whether it holds a slot. */
        boolean running()
        {
            return slot >= 0;
        }
    }

    private record Scripted(long atNs, long sequence, Consumer<SchedSimulator> action) implements Comparable<Scripted>
    {
        @Override
        public int compareTo(final Scripted other)
        {
            final int byTime = Long.compare(atNs, other.atNs);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }
}
