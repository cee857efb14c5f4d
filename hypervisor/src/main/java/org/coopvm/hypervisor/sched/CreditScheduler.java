package org.coopvm.hypervisor.sched;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Xen's credit scheduler ({@code xen/common/sched/credit.c}), name {@value #NAME}.
 *
 * <ul>
 *   <li><b>Credit.</b> A vCPU pays {@value #CREDITS_PER_MSEC} credits per ms of CPU it really used
 *       ({@link #charge}, thread CPU time, not the wall time it held a slot). Once per slice the
 *       accounting ({@code csched_acct}) shares the credits the slots delivered since the last one
 *       (what was charged, at most {@code 10 * slice_ms * slots}) among the active domains by
 *       weight (as in Xen, a domain's weight counts once per active vCPU), each domain's share split
 *       evenly among its active vCPUs; a domain may not earn more than its active vCPUs can spend
 *       (the rest goes to the others), and
 *       a negative balance of the whole host is paid back to everyone. Credit is clamped to
 *       {@code +-10 * slice_ms} (+-300 at 30 ms): below, the debt is forgiven; above, a blocked vCPU
 *       stops earning (leaves the active list) with its credit halved, so a vCPU that blocks does
 *       not pile up credit, and a runnable one (waiting for a slot or running) stays at the clamp.</li>
 *   <li><b>Priority.</b> UNDER (credit >= 0 at the last accounting) runs before OVER; within a
 *       priority, the vCPU with more credit first, round robin among equals. A vCPU waking while
 *       UNDER is BOOSTed and runs before all others, until the next tick that sees it running
 *       demotes it: a vCPU that wakes, does a little work and blocks again keeps a short
 *       wake-to-run latency; one that keeps the CPU does not.</li>
 *   <li><b>Slice and preemption.</b> A vCPU runs for its domain's slice ({@link SchedParams#sliceMs()},
 *       else the host's). Before that only a higher-priority vCPU takes its slot, and not within the
 *       rate limit of it starting to run.</li>
 *   <li><b>Yield.</b> A yielding vCPU goes back behind one vCPU of lower priority, if there is one
 *       (Xen's {@code __runq_insert}); a directed yield also puts its target first among its
 *       priority.</li>
 *   <li><b>Cap.</b> A capped domain earns at most {@code cap%} of a slice per slice; a vCPU whose
 *       credit falls below minus its share of that is parked (not run) until an accounting leaves it
 *       with credit >= 0, and wakes unboosted. Removing the cap unparks at once.</li>
 * </ul>
 *
 * <p>Differences from Xen: one run queue for all slots (Xen has one per pCPU and steals work
 * between them; here there is nothing to steal and any vCPU may run on any slot); a vCPU joins the
 * accounting when it is charged CPU time as well as when a tick sees it running (so a vCPU that only
 * runs between ticks earns its share and pays for what it uses, and cannot keep its BOOST by hiding
 * from the tick); the accounting shares the credits of the time that really passed since the last
 * one (the same as Xen's when ticks are on time); it shares only the credits the vCPUs were
 * charged for, not {@code 10 * slice_ms * slots}: a slot is a host thread that may get less than a
 * CPU, and on an overloaded host credit handed out for CPU nobody got would leave every busy vCPU
 * UNDER, and the shares would fall back to round robin (a pCPU always delivers, so for Xen the two
 * are the same); the clamp is {@code 10 * max(slice, tick)} ms of
 * credit; a per-domain slice. Two differences for fairness with weights on several slots (the
 * issue's mix of 256/512/1024 and four of 256 on 2 slots, where Xen's rules give the weight-1024
 * vCPU 0.82 of its entitlement in the simulator): within a priority the queue is ordered by credit
 * (Xen: round robin, so a vCPU UNDER by a few credits runs a full slice on each slot while one with
 * hundreds waits), and a runnable vCPU over +300 is clamped instead of halved and taken off the
 * active list (Xen assumes such a vCPU is idling; here it was waiting for a slot).
 *
 * <p>Thread safety: not thread-safe; the runtime's scheduler thread, under its lock.
 */
public final class CreditScheduler extends SlotScheduler
{
    /** The name users choose it by. */
    public static final String NAME = "credit";
    /** Credits a vCPU pays per millisecond of CPU. */
    public static final int CREDITS_PER_MSEC = 10;

    private static final long NS_PER_MS = 1_000_000L;

    private final List<CreditDomain> activeDomains = new ArrayList<>();
    private final List<CreditDomain> acctOrder = new ArrayList<>();
    private final Period period = new Period();
    private CreditEntry[] sortScratch = new CreditEntry[16];
    private long creditBalance;
    private long burnedSinceAcct;
    private long lastAcctNs;
    private long nextAcctNs;
    private boolean accounting;

    /** A scheduler; call {@link #init} before use. */
    public CreditScheduler()
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
        startAccounting(nowNs);
        for (int slot = 0; slot < slots(); slot++)
        {
            final VcpuEntry e = runningOn(slot);
            if (e != null)
            {
                final CreditEntry c = (CreditEntry)e;
                if (c.pri == Priority.BOOST)
                {
                    c.pri = Priority.UNDER;
                }
                activate(c);
            }
        }
        if (nowNs - nextAcctNs >= 0)
        {
            account(nowNs);
            lastAcctNs = nowNs;
            nextAcctNs += settings.sliceNs();
            if (nowNs - nextAcctNs >= 0)
            {
                nextAcctNs = nowNs + settings.sliceNs();
            }
            sortRunQueue();
        }
    }

    @Override
    DomainEntry newDomain(final int domid, final SchedParams params, final long nowNs)
    {
        startAccounting(nowNs);
        return new CreditDomain(domid, params);
    }

    @Override
    VcpuEntry newEntry(final SchedVcpu v, final DomainEntry d, final long nowNs)
    {
        return new CreditEntry(v, d);
    }

    @Override
    void enqueue(final VcpuEntry e)
    {
        final CreditEntry c = (CreditEntry)e;
        VcpuEntry position = runq.first();
        while (position != null && goesBefore((CreditEntry)position, c, c.yielding))
        {
            position = position.next;
        }
        if (c.yielding && position != null)
        {
            position = position.next;
        }
        runq.addBefore(position, c);
    }

    @Override
    void promote(final VcpuEntry e)
    {
        final CreditEntry c = (CreditEntry)e;
        VcpuEntry position = runq.first();
        while (position != null && ((CreditEntry)position).pri.compareTo(c.pri) < 0)
        {
            position = position.next;
        }
        runq.addBefore(position, c);
    }

    @Override
    VcpuEntry pickNext(final VcpuEntry yielder, final long nowNs)
    {
        final VcpuEntry head = runq.first();
        if (head != null)
        {
            runq.remove(head);
        }
        return head;
    }

    @Override
    boolean outranks(final VcpuEntry a, final VcpuEntry b)
    {
        return ((CreditEntry)a).pri.compareTo(((CreditEntry)b).pri) < 0;
    }

    @Override
    long runLengthNs(final VcpuEntry e, final long nowNs)
    {
        return sliceNs(e);
    }

    @Override
    void burn(final VcpuEntry e, final long cpuNs, final long nowNs)
    {
        final CreditEntry c = (CreditEntry)e;
        final long scaled = cpuNs * CREDITS_PER_MSEC + c.residual;
        c.credit -= scaled / NS_PER_MS;
        burnedSinceAcct += scaled / NS_PER_MS;
        c.residual = scaled % NS_PER_MS;
        activate(c);
    }

    @Override
    Priority priorityOf(final VcpuEntry e)
    {
        return ((CreditEntry)e).pri;
    }

    @Override
    long creditOf(final VcpuEntry e)
    {
        return ((CreditEntry)e).credit;
    }

    @Override
    void onWake(final VcpuEntry e, final long nowNs)
    {
        final CreditEntry c = (CreditEntry)e;
        if (c.pri == Priority.UNDER && !c.parked)
        {
            c.pri = Priority.BOOST;
        }
    }

    @Override
    void onRemove(final VcpuEntry e)
    {
        deactivate((CreditEntry)e);
    }

    @Override
    void onAdjust(final DomainEntry d, final SchedParams old, final long nowNs)
    {
        if (!d.capped())
        {
            for (final VcpuEntry e : d.vcpus)
            {
                if (e.parked)
                {
                    unpark(e);
                }
            }
        }
    }

    private void startAccounting(final long nowNs)
    {
        if (!accounting)
        {
            accounting = true;
            lastAcctNs = nowNs;
            nextAcctNs = nowNs + settings.sliceNs();
        }
    }

    private void activate(final CreditEntry c)
    {
        if (!c.active)
        {
            c.active = true;
            final CreditDomain d = (CreditDomain)c.domain;
            d.active.add(c);
            if (d.active.size() == 1)
            {
                activeDomains.addFirst(d);
            }
        }
    }

    private void deactivate(final CreditEntry c)
    {
        if (c.active)
        {
            c.active = false;
            final CreditDomain d = (CreditDomain)c.domain;
            d.active.remove(c);
            if (d.active.isEmpty())
            {
                activeDomains.remove(d);
            }
        }
    }

    /** Xen's {@code csched_acct}: share the period's credits among the active domains by weight. */
    private void account(final long nowNs)
    {
        final long elapsedMs = Math.clamp((nowNs - lastAcctNs) / NS_PER_MS, 1, 2L * settings.sliceMs());
        final long periodCredits = CREDITS_PER_MSEC * elapsedMs;
        long weightTotal = 0;
        acctOrder.clear();
        for (int i = 0; i < activeDomains.size(); i++)
        {
            final CreditDomain d = activeDomains.get(i);
            weightTotal += (long)d.params.weight() * d.active.size();
            acctOrder.add(d);
        }
        final long delivered = Math.min(periodCredits * slots(), burnedSinceAcct);
        burnedSinceAcct = 0;
        if (weightTotal == 0)
        {
            creditBalance = 0;
            return;
        }
        period.start(delivered - Math.min(creditBalance, 0), weightTotal, periodCredits, clampCredits());
        long balance = 0;
        for (int i = 0; i < acctOrder.size(); i++)
        {
            final CreditDomain d = acctOrder.get(i);
            final long fairPerVcpu = period.fairShare(d, creditBalance);
            if (period.moveToHead)
            {
                activeDomains.remove(d);
                activeDomains.addFirst(d);
            }
            balance += credit(d, fairPerVcpu, period);
        }
        creditBalance = balance;
    }

    /** Give each active vCPU of a domain its share, set its priority, park, clamp. @return the credits left. */
    private long credit(final CreditDomain d, final long fairPerVcpu, final Period period)
    {
        long balance = 0;
        for (int i = d.active.size() - 1; i >= 0; i--)
        {
            final CreditEntry c = d.active.get(i);
            c.credit += fairPerVcpu;
            if (c.credit < 0)
            {
                c.pri = Priority.OVER;
                if (d.capped() && c.credit < -period.capPerVcpu && !c.parked)
                {
                    park(c);
                }
                c.credit = Math.max(c.credit, -period.clamp);
            }
            else
            {
                c.pri = Priority.UNDER;
                if (c.parked)
                {
                    unpark(c);
                }
                if (c.credit > period.clamp && c.runnable)
                {
                    c.credit = period.clamp;
                }
                else if (c.credit > period.clamp)
                {
                    deactivate(c);
                    c.credit /= 2;
                }
            }
            balance += c.credit;
        }
        return balance;
    }

    private long clampCredits()
    {
        return (long)CREDITS_PER_MSEC * Math.max(settings.sliceMs(), settings.tickMs());
    }

    /**
     * Xen's runq sort after accounting (UNDER before OVER), made a full stable sort by priority and,
     * within a priority, by credit, highest first (a binary insertion sort: no allocation once the
     * scratch array has grown to the queue).
     */
    private void sortRunQueue()
    {
        int n = 0;
        for (VcpuEntry e = runq.first(); e != null; e = runq.first())
        {
            runq.remove(e);
            if (n == sortScratch.length)
            {
                sortScratch = Arrays.copyOf(sortScratch, Math.max(16, 2 * n));
            }
            insertSorted(n++, (CreditEntry)e);
        }
        for (int i = 0; i < n; i++)
        {
            runq.addLast(sortScratch[i]);
            sortScratch[i] = null;
        }
    }

    /** Insert {@code c} into the sorted {@code sortScratch[0..n)}, after its equals. */
    private void insertSorted(final int n, final CreditEntry c)
    {
        int low = 0;
        int high = n;
        while (low < high)
        {
            final int mid = (low + high) >>> 1;
            if (goesBefore(sortScratch[mid], c, false))
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }
        System.arraycopy(sortScratch, low, sortScratch, low + 1, n - low);
        sortScratch[low] = c;
    }

    /**
     * @param queued   an entry in the queue.
     * @param c        an entry being placed.
     * @param yielding whether c yields: then it goes behind all of its priority, whatever their credit.
     * @return whether {@code queued} stays ahead of {@code c}: higher priority, or the same priority and
     *         at least c's credit (equals keep their order: round robin).
     */
    private static boolean goesBefore(final CreditEntry queued, final CreditEntry c, final boolean yielding)
    {
        final int byPriority = queued.pri.compareTo(c.pri);
        return byPriority < 0 || byPriority == 0 && (yielding || queued.credit >= c.credit);
    }

    /** The running state of one accounting pass (Xen's csched_acct locals), reused. */
    private static final class Period
    {
        long creditTotal;
        long weightTotal;
        long weightLeft;
        long periodCredits;
        long clamp;
        long capPerVcpu;
        boolean extra;
        boolean moveToHead;

        void start(final long credits, final long weights, final long perSlot, final long clampCredits)
        {
            creditTotal = credits;
            weightTotal = weights;
            weightLeft = weights;
            periodCredits = perSlot;
            clamp = clampCredits;
            extra = false;
        }

        /** @return the domain's fair credit per active vCPU; sets capPerVcpu and moveToHead. */
        long fairShare(final CreditDomain d, final long creditBalance)
        {
            final long n = d.active.size();
            final long weight = d.params.weight();
            weightLeft -= weight * n;
            long peak = n * periodCredits;
            if (creditBalance < 0)
            {
                peak += Math.ceilDiv(-creditBalance * weight * n, weightTotal);
            }
            capPerVcpu = 0;
            moveToHead = false;
            if (d.capped())
            {
                final long cap = Math.ceilDiv(d.params.capPercent() * periodCredits, 100);
                peak = Math.min(peak, cap);
                capPerVcpu = Math.ceilDiv(cap, n);
            }
            long fair = Math.ceilDiv(creditTotal * weight * n, weightTotal);
            if (fair < peak)
            {
                extra = true;
            }
            else
            {
                if (weightLeft != 0)
                {
                    creditTotal += Math.ceilDiv((fair - peak) * weightTotal, weightLeft);
                }
                moveToHead = extra;
                fair = peak;
            }
            return Math.ceilDiv(fair, n);
        }
    }

    /** Credit's per-domain state: its vCPUs in the accounting. */
    private static final class CreditDomain extends DomainEntry
    {
        final List<CreditEntry> active = new ArrayList<>();

        CreditDomain(final int domid, final SchedParams params)
        {
            super(domid, params);
        }
    }

    /** Credit's per-vCPU state. */
    private static final class CreditEntry extends VcpuEntry
    {
        Priority pri = Priority.UNDER;
        long credit;
        long residual;
        boolean active;

        CreditEntry(final SchedVcpu vcpu, final DomainEntry domain)
        {
            super(vcpu, domain);
        }
    }
}
