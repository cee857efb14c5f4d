package org.coopvm.hypervisor.sched;

import java.util.List;

/**
 * A credit2-style scheduler after Xen's {@code xen/common/sched/credit2.c}, name {@value #NAME}:
 * the second algorithm that shows the {@link Scheduler} SPI works.
 *
 * <ul>
 *   <li><b>Credit in nanoseconds.</b> Every vCPU starts with {@link #CREDIT_INIT_NS} (10 ms). CPU time
 *       burns credit scaled by weight: {@code cpuNs * maxWeight / weight}, where maxWeight is the
 *       highest weight of any domain, so the heaviest vCPUs burn 1 ns per ns and a vCPU of half
 *       the weight burns twice as fast. Credit never falls below {@link #CREDIT_MIN_NS}.</li>
 *   <li><b>Run queue sorted by credit</b>, highest first. A vCPU runs until its credit would fall
 *       {@link #RUN_CREDIT_LEAD_NS} (10 ms) below that of the next in the queue (or below zero when
 *       the next has none), at least 500 us and the rate limit, at most 10 ms or its domain's slice;
 *       before that, only a queued vCPU with more credit takes its slot, and not within the rate limit.</li>
 *   <li><b>Reset.</b> When the vCPU picked to run has credit <= 0 (and so has everyone queued), every
 *       vCPU, blocked ones included, gets {@code CREDIT_INIT} more, clipped to {@code CREDIT_INIT +
 *       500 us} for a blocked vCPU (credit does not pile up while a vCPU sleeps) and to
 *       {@code 2 * CREDIT_INIT} for a runnable one.</li>
 *   <li><b>Yield.</b> The next vCPU in the queue runs even if it has less credit.
 *       A directed yield puts its target at the head of the queue.</li>
 *   <li><b>Cap.</b> A capped domain has a budget of {@code cap%} of the time that passes, replenished
 *       at every tick (at most {@code cap%} of max(tick, 10 ms)); when it is used up the domain's
 *       vCPUs are parked until the next replenishment. Overdrafts carry over, so the long-run
 *       share is the cap.</li>
 *   <li>No BOOST: a vCPU that slept keeps its credit, which usually puts it at the head of the queue.</li>
 * </ul>
 *
 * <p>Differences from Xen: one run queue for all slots (Xen has one per group of CPUs and balances
 * load between them); the cap budget is per domain with no per-vCPU grabbing; a per-domain slice;
 * a runnable vCPU keeps its credit over a reset (Xen clips everyone to {@code CREDIT_INIT + 500 us}:
 * a weight-1024 vCPU running on one slot while lighter ones reached zero on the other lost what it
 * had left, and got 0.82 of its entitlement in the benchmark's mix); a run ends 10 ms of credit
 * below the next vCPU's, not at it (Xen's rule makes equal busy vCPUs switch every 1 ms, the rate
 * limit, and each switch costs the runtime a duty cycle or two, not a microsecond); credit's floor
 * is {@code -10 * CREDIT_INIT}, not {@code -CREDIT_INIT} (see {@link #CREDIT_MIN_NS}).
 *
 * <p>Thread safety: not thread-safe; the runtime's scheduler thread, under its lock.
 */
public final class Credit2Scheduler extends SlotScheduler
{
    /** The name users choose it by. */
    public static final String NAME = "credit2";
    /** Credit every vCPU starts with and gets at each reset. */
    public static final long CREDIT_INIT_NS = 10_000_000L;
    /** Most credit a blocked vCPU keeps over a reset, above {@link #CREDIT_INIT_NS}. */
    public static final long CARRYOVER_MAX_NS = 500_000L;
    /**
     * Most credit a runnable vCPU keeps over a reset: one that was running (or waiting) with credit left
     * keeps it, so a heavy vCPU on one slot is not robbed of what the others on the other slots did
     * not leave it time to spend.
     */
    public static final long RUNNABLE_CREDIT_MAX_NS = 2 * CREDIT_INIT_NS;
    /**
     * Least credit a vCPU can have: 10 * CREDIT_INIT (Xen: CREDIT_INIT, so that no vCPU sorts below the
     * idle vCPUs in its run queue; there are none in ours). A vCPU overruns its run by the runtime's
     * cooperative hand-off (until its next safe point and the agent's next duty cycle, often
     * milliseconds, four times that in credit for a weight-256 vCPU among 1024s); at Xen's floor that
     * debt was forgiven, and the lighter vCPUs got up to 1.2 of their share. Here it is paid back.
     */
    public static final long CREDIT_MIN_NS = -10 * CREDIT_INIT_NS;
    /**
     * How far below the next vCPU's credit (or below zero, when the next has none) a vCPU runs:
     * Xen runs it only down to the next one's credit, so equal vCPUs take turns of the 1 ms rate
     * limit; this lead makes them take turns of {@link #MAX_TIMER_NS}, and keeps credit above
     * Xen's floor of {@code -CREDIT_INIT} (ours is {@link #CREDIT_MIN_NS}).
     */
    public static final long RUN_CREDIT_LEAD_NS = CREDIT_INIT_NS;
    /** Shortest run. */
    public static final long MIN_TIMER_NS = 500_000L;
    /** Longest run. */
    public static final long MAX_TIMER_NS = CREDIT_INIT_NS;
    /** Period over which a cap's budget is sized. */
    public static final long CAP_PERIOD_NS = 10_000_000L;

    private long maxWeight = SchedParams.DEFAULT_WEIGHT;
    private boolean anyCapped;
    private long lastTickNs;
    private boolean ticked;

    /** A scheduler; call {@link #init} before use. */
    public Credit2Scheduler()
    {
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public void tick(final long nowNs)
    {
        final long elapsedNs = ticked ? Math.max(0, nowNs - lastTickNs) : settings.tickNs();
        ticked = true;
        lastTickNs = nowNs;
        final List<DomainEntry> domains = domains();
        for (int i = 0; i < domains.size(); i++)
        {
            final DomainEntry d = domains.get(i);
            if (d.capped())
            {
                replenish((Credit2Domain)d, elapsedNs);
            }
        }
    }

    @Override
    DomainEntry newDomain(final int domid, final SchedParams params, final long nowNs)
    {
        final Credit2Domain d = new Credit2Domain(domid, params);
        d.budgetNs = fullBudgetNs(params);
        return d;
    }

    @Override
    VcpuEntry newEntry(final SchedVcpu v, final DomainEntry d, final long nowNs)
    {
        return new Credit2Entry(v, d);
    }

    @Override
    void enqueue(final VcpuEntry e)
    {
        final long credit = ((Credit2Entry)e).credit;
        VcpuEntry position = runq.first();
        while (position != null && ((Credit2Entry)position).credit >= credit)
        {
            position = position.next;
        }
        runq.addBefore(position, e);
    }

    @Override
    void promote(final VcpuEntry e)
    {
        runq.addBefore(runq.first(), e);
    }

    @Override
    VcpuEntry pickNext(final VcpuEntry yielder, final long nowNs)
    {
        VcpuEntry chosen = runq.first();
        if (chosen == null)
        {
            return null;
        }
        if (chosen == yielder && chosen.next != null)
        {
            chosen = chosen.next;
        }
        runq.remove(chosen);
        final Credit2Entry next = (Credit2Entry)chosen;
        final VcpuEntry head = runq.first();
        final long top = head == null ? next.credit : Math.max(next.credit, ((Credit2Entry)head).credit);
        if (top <= 0)
        {
            resetCredit(next);
        }
        return next;
    }

    @Override
    boolean outranks(final VcpuEntry a, final VcpuEntry b)
    {
        return ((Credit2Entry)a).credit > ((Credit2Entry)b).credit;
    }

    @Override
    long runLengthNs(final VcpuEntry e, final long nowNs)
    {
        final Credit2Entry c = (Credit2Entry)e;
        final VcpuEntry head = runq.first();
        final long nextCredit = head == null ? 0 : Math.max(((Credit2Entry)head).credit, 0);
        final long runCredit = c.credit - (nextCredit - RUN_CREDIT_LEAD_NS);
        long timeNs = runCredit > 0 ? runCredit * c.domain.params.weight() / maxWeight : 0;
        if (c.domain.capped())
        {
            timeNs = Math.min(timeNs, ((Credit2Domain)c.domain).budgetNs);
        }
        return Math.clamp(timeNs, MIN_TIMER_NS, Math.min(MAX_TIMER_NS, sliceNs(c)));
    }

    @Override
    void burn(final VcpuEntry e, final long cpuNs, final long nowNs)
    {
        final Credit2Entry c = (Credit2Entry)e;
        c.credit = Math.max(c.credit - cpuNs * maxWeight / c.domain.params.weight(), CREDIT_MIN_NS);
        if (c.domain.capped())
        {
            final Credit2Domain d = (Credit2Domain)c.domain;
            d.budgetNs -= cpuNs;
            if (d.budgetNs <= 0)
            {
                parkRunnable(d);
            }
        }
    }

    @Override
    Priority priorityOf(final VcpuEntry e)
    {
        return ((Credit2Entry)e).credit > 0 ? Priority.UNDER : Priority.OVER;
    }

    @Override
    long creditOf(final VcpuEntry e)
    {
        return ((Credit2Entry)e).credit;
    }

    @Override
    void onWake(final VcpuEntry e, final long nowNs)
    {
        if (e.domain.capped() && ((Credit2Domain)e.domain).budgetNs <= 0)
        {
            e.parked = true;
        }
    }

    @Override
    void onAdjust(final DomainEntry d, final SchedParams old, final long nowNs)
    {
        final Credit2Domain c2 = (Credit2Domain)d;
        if (!d.capped())
        {
            unparkAll(c2);
        }
        else if (!old.capped())
        {
            c2.budgetNs = fullBudgetNs(d.params);
        }
    }

    /** Only a cap's budget needs the tick: without capped domains the runtime may leave ticks out. */
    @Override
    public boolean needsTick()
    {
        return anyCapped;
    }

    @Override
    void onMembershipChanged()
    {
        long max = 1;
        boolean capped = false;
        final List<DomainEntry> domains = domains();
        for (int i = 0; i < domains.size(); i++)
        {
            max = Math.max(max, domains.get(i).params.weight());
            capped |= domains.get(i).capped();
        }
        maxWeight = max;
        anyCapped = capped;
    }

    @Override
    long minTimerNs()
    {
        return MIN_TIMER_NS;
    }

    /** Xen's {@code reset_credit}: everyone moves up by CREDIT_INIT (more if the pick is deep in debt), clipped (runnable ones higher). */
    private void resetCredit(final Credit2Entry next)
    {
        final long times = next.credit < -CREDIT_INIT_NS ? 1 + (-next.credit) / CREDIT_INIT_NS : 1;
        final List<DomainEntry> domains = domains();
        for (int j = 0; j < domains.size(); j++)
        {
            final DomainEntry d = domains.get(j);
            for (int i = 0; i < d.vcpus.size(); i++)
            {
                final Credit2Entry c = (Credit2Entry)d.vcpus.get(i);
                final long most = c.runnable ? RUNNABLE_CREDIT_MAX_NS : CREDIT_INIT_NS + CARRYOVER_MAX_NS;
                c.credit = Math.min(c.credit + times * CREDIT_INIT_NS, most);
            }
        }
    }

    private void replenish(final Credit2Domain d, final long elapsedNs)
    {
        final long capPercent = d.params.capPercent();
        final long most = capPercent * Math.max(settings.tickNs(), CAP_PERIOD_NS) / 100;
        d.budgetNs = Math.min(d.budgetNs + capPercent * elapsedNs / 100, most);
        if (d.budgetNs > 0)
        {
            unparkAll(d);
        }
    }

    private void parkRunnable(final Credit2Domain d)
    {
        for (int i = 0; i < d.vcpus.size(); i++)
        {
            final VcpuEntry e = d.vcpus.get(i);
            if (e.runnable && !e.parked)
            {
                park(e);
            }
        }
    }

    private void unparkAll(final Credit2Domain d)
    {
        for (int i = 0; i < d.vcpus.size(); i++)
        {
            final VcpuEntry e = d.vcpus.get(i);
            if (e.parked)
            {
                unpark(e);
            }
        }
    }

    private static long fullBudgetNs(final SchedParams params)
    {
        return params.capPercent() * CAP_PERIOD_NS / 100;
    }

    /** Credit2's per-domain state: the cap's budget. */
    private static final class Credit2Domain extends DomainEntry
    {
        long budgetNs;

        Credit2Domain(final int domid, final SchedParams params)
        {
            super(domid, params);
        }
    }

    /** Credit2's per-vCPU state. */
    private static final class Credit2Entry extends VcpuEntry
    {
        long credit = CREDIT_INIT_NS;

        Credit2Entry(final SchedVcpu vcpu, final DomainEntry domain)
        {
            super(vcpu, domain);
        }
    }
}
