package org.coopvm.hypervisor.sched;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The part the shipped algorithms share: one global run queue for all slots, which vCPU holds which
 * slot and until when, the wake/sleep/yield state machine, the rate limit, and when a queued vCPU
 * may take a slot before the holder's slice ends (Xen's "tickle"). Subclasses decide the order of
 * the queue, the length of a slice, what outranks what, and how CPU time is charged.
 *
 * <p>Xen keeps one run queue per physical CPU and steals work between them; with one queue for all
 * slots there is nothing to steal and a vCPU may run on any slot (no affinity).
 *
 * <p>Thread safety: not thread-safe; the runtime's scheduler thread, under its lock.
 */
abstract class SlotScheduler implements Scheduler
{
    private final Map<Integer, DomainEntry> domains = new HashMap<>();
    private final List<DomainEntry> domainList = new ArrayList<>();
    final RunQueue runq = new RunQueue();
    SchedulerSettings settings;
    private VcpuEntry[] running = new VcpuEntry[0];
    private long[] sliceEndNs = new long[0];
    private VcpuEntry[] yieldedFrom = new VcpuEntry[0];
    private Decision[] lastDecision = new Decision[0];
    private long keepUntilNs;

    @Override
    public void init(final SchedulerSettings settings)
    {
        this.settings = Objects.requireNonNull(settings, "settings");
        resizeSlots(settings.slots(), 0);
    }

    @Override
    public void insert(final SchedVcpu v, final long nowNs)
    {
        requireInit();
        if (v.priv() instanceof VcpuEntry)
        {
            return;
        }
        DomainEntry d = domains.get(v.domid());
        if (d == null)
        {
            d = newDomain(v.domid(), v.params(), nowNs);
            domains.put(v.domid(), d);
            domainList.add(d);
        }
        v.params(d.params);
        final VcpuEntry e = newEntry(v, d, nowNs);
        d.vcpus.add(e);
        v.priv(e);
        onMembershipChanged();
    }

    @Override
    public void remove(final SchedVcpu v, final long nowNs)
    {
        final VcpuEntry e = entry(v);
        detach(e);
        e.runnable = false;
        e.parked = false;
        onRemove(e);
        e.domain.vcpus.remove(e);
        if (e.domain.vcpus.isEmpty())
        {
            domains.remove(e.domain.domid);
            domainList.remove(e.domain);
        }
        v.priv(null);
        onMembershipChanged();
    }

    @Override
    public void wake(final SchedVcpu v, final long nowNs)
    {
        final VcpuEntry e = entry(v);
        if (e.runnable)
        {
            return;
        }
        e.runnable = true;
        onWake(e, nowNs);
        if (!e.parked)
        {
            enqueue(e);
        }
    }

    @Override
    public void sleep(final SchedVcpu v, final long nowNs)
    {
        final VcpuEntry e = entry(v);
        detach(e);
        e.runnable = false;
        e.yielding = false;
    }

    @Override
    public void yield(final SchedVcpu v, final long nowNs)
    {
        final VcpuEntry e = entry(v);
        if (!e.runnable || e.parked)
        {
            return;
        }
        final int slot = e.slot;
        detach(e);
        e.yielding = true;
        enqueue(e);
        if (slot >= 0)
        {
            yieldedFrom[slot] = e;
        }
    }

    @Override
    public void yieldTo(final SchedVcpu from, final SchedVcpu to, final long nowNs)
    {
        this.yield(from, nowNs);
        final VcpuEntry target = entry(to);
        if (target.queued && target != entry(from))
        {
            runq.remove(target);
            promote(target);
        }
    }

    @Override
    public void charge(final SchedVcpu v, final long cpuNs, final long nowNs)
    {
        if (cpuNs > 0)
        {
            burn(entry(v), cpuNs, nowNs);
        }
    }

    @Override
    public Decision schedule(final int slot, final SchedVcpu current, final long nowNs)
    {
        requireInit();
        checkSlot(slot);
        final VcpuEntry cur = reconcile(slot, current == null ? null : entry(current), nowNs);
        final VcpuEntry yielder = yieldedFrom[slot];
        yieldedFrom[slot] = null;
        if (cur != null)
        {
            if (keepsSlot(slot, cur, nowNs))
            {
                return decision(slot, cur, keepUntilNs);
            }
            leaveSlot(cur);
            if (!cur.parked)
            {
                enqueue(cur);
            }
        }
        final VcpuEntry next = pickNext(yielder == null || !yielder.queued ? null : yielder, nowNs);
        if (next == null)
        {
            return Decision.IDLE;
        }
        takeSlot(next, slot, nowNs, next != cur);
        return decision(slot, next, sliceEndNs[slot]);
    }

    @Override
    public void adjust(final int domid, final SchedParams params, final long nowNs)
    {
        Objects.requireNonNull(params, "params");
        final DomainEntry d = domains.get(domid);
        if (d == null)
        {
            throw new IllegalArgumentException("domain " + domid + " has no vCPUs in the " + name() + " scheduler");
        }
        final SchedParams old = d.params;
        d.params = params;
        for (final VcpuEntry e : d.vcpus)
        {
            e.vcpu.params(params);
            if (e.running())
            {
                sliceEndNs[e.slot] = Math.min(sliceEndNs[e.slot], e.sliceStartNs + sliceNs(e));
            }
        }
        onAdjust(d, old, nowNs);
        onMembershipChanged();
    }

    @Override
    public void adjust(final SchedulerSettings newSettings, final long nowNs)
    {
        requireInit();
        Objects.requireNonNull(newSettings, "settings");
        final int oldSlots = settings.slots();
        for (int slot = newSettings.slots(); slot < oldSlots; slot++)
        {
            final VcpuEntry e = running[slot];
            if (e != null)
            {
                leaveSlot(e);
                if (!e.parked)
                {
                    enqueue(e);
                }
            }
        }
        settings = newSettings;
        resizeSlots(newSettings.slots(), oldSlots);
    }

    @Override
    public VcpuSchedState state(final SchedVcpu v)
    {
        final VcpuEntry e = entry(v);
        final Priority priority;
        if (e.parked)
        {
            priority = Priority.PARKED;
        }
        else if (!e.runnable)
        {
            priority = Priority.IDLE;
        }
        else
        {
            priority = priorityOf(e);
        }
        return new VcpuSchedState(priority, creditOf(e));
    }

    /** @return the slot count. */
    final int slots()
    {
        return settings.slots();
    }

    /** @param slot a slot. @return the entry holding it, null when free. */
    final VcpuEntry runningOn(final int slot)
    {
        return running[slot];
    }

    /** @return the domains, in the order they came (index it: iterating allocates nothing). */
    final List<DomainEntry> domains()
    {
        return domainList;
    }

    /** @param e an entry. @return its domain's slice, or the host's, in ns. */
    final long sliceNs(final VcpuEntry e)
    {
        return e.domain.params.sliceMsOr(settings.sliceMs()) * 1_000_000L;
    }

    /** Park an entry: it leaves the queue; if it holds a slot, the next schedule for that slot takes it. */
    final void park(final VcpuEntry e)
    {
        e.parked = true;
        if (e.queued)
        {
            runq.remove(e);
        }
    }

    /** Unpark an entry: back in the queue if it wants to run (no boost). */
    final void unpark(final VcpuEntry e)
    {
        e.parked = false;
        if (e.waitingForQueue())
        {
            enqueue(e);
        }
    }

    /** @param v a vCPU. @return its entry. */
    static VcpuEntry entry(final SchedVcpu v)
    {
        if (!(v.priv() instanceof VcpuEntry e))
        {
            throw new IllegalArgumentException("vCPU " + v + " was not inserted into this scheduler");
        }
        return e;
    }

    /** A new domain's entry. */
    abstract DomainEntry newDomain(int domid, SchedParams params, long nowNs);

    /** A new vCPU's entry (blocked). */
    abstract VcpuEntry newEntry(SchedVcpu v, DomainEntry d, long nowNs);

    /** Put a runnable entry in the queue where it belongs (yield-aware: {@code e.yielding}). */
    abstract void enqueue(VcpuEntry e);

    /** Put a queued entry first among its equals (directed yield). */
    abstract void promote(VcpuEntry e);

    /**
     * Take the next entry off the queue.
     *
     * @param yielder the entry that just yielded this slot and is queued, or null.
     * @param nowNs   the time.
     * @return the entry, null when the queue is empty.
     */
    abstract VcpuEntry pickNext(VcpuEntry yielder, long nowNs);

    /** @return whether {@code a} should run before {@code b} (and may take b's slot early). */
    abstract boolean outranks(VcpuEntry a, VcpuEntry b);

    /**
     * @return how long {@code e}, just given a slot, may run before being asked again, in ns (> 0).
     *         The slot is asked again no sooner than {@link #minTimerNs()} and the end of the rate
     *         limit (Xen's credit2 {@code min_time}): a run is not asked about only to be kept.
     */
    abstract long runLengthNs(VcpuEntry e, long nowNs);

    /** Charge CPU time (> 0). */
    abstract void burn(VcpuEntry e, long cpuNs, long nowNs);

    /** @return what tools show for a runnable, unparked entry. */
    abstract Priority priorityOf(VcpuEntry e);

    /** @return the entry's credit as tools show it. */
    abstract long creditOf(VcpuEntry e);

    /** Blocked to runnable, before queueing. */
    void onWake(final VcpuEntry e, final long nowNs)
    {
    }

    /** The entry is being removed (already out of the queue and its slot). */
    void onRemove(final VcpuEntry e)
    {
    }

    /** A domain's parameters changed. */
    void onAdjust(final DomainEntry d, final SchedParams old, final long nowNs)
    {
    }

    /** A vCPU was inserted or removed, or a domain's parameters changed. */
    void onMembershipChanged()
    {
    }

    /** The shortest time to ask again for (Xen's minimum timer). */
    long minTimerNs()
    {
        return SchedulerSettings.MIN_RATE_LIMIT_US * 1000L;
    }

    /** The decision, reusing the slot's last one when it says the same (asking again allocates nothing). */
    private Decision decision(final int slot, final VcpuEntry next, final long untilNs)
    {
        final Decision last = lastDecision[slot];
        if (last != null && last.next() == next.vcpu && last.untilNs() == untilNs)
        {
            return last;
        }
        final Decision fresh = new Decision(next.vcpu, untilNs);
        lastDecision[slot] = fresh;
        return fresh;
    }

    private VcpuEntry reconcile(final int slot, final VcpuEntry cur, final long nowNs)
    {
        final VcpuEntry held = running[slot];
        if (held != null && held != cur)
        {
            leaveSlot(held);
            if (held.runnable && !held.parked)
            {
                enqueue(held);
            }
        }
        if (cur == null || cur.slot == slot)
        {
            return cur;
        }
        if (cur == yieldedFrom[slot])
        {
            return null;
        }
        detach(cur);
        if (!cur.runnable)
        {
            return null;
        }
        takeSlot(cur, slot, nowNs, true);
        return cur;
    }

    private boolean keepsSlot(final int slot, final VcpuEntry cur, final long nowNs)
    {
        if (!cur.runnable || cur.parked)
        {
            return false;
        }
        final long ran = nowNs - cur.runStartNs;
        final long rateLimitNs = settings.rateLimitNs();
        if (rateLimitNs > 0 && ran < rateLimitNs)
        {
            keepUntilNs = cur.runStartNs + rateLimitNs;
            return true;
        }
        if (nowNs < sliceEndNs[slot] && !preemptedEarly(cur))
        {
            keepUntilNs = sliceEndNs[slot];
            return true;
        }
        return false;
    }

    /** Xen's tickle: before its slice ends, only a queued vCPU that outranks it takes its slot, and only from the lowest-ranked holder. */
    private boolean preemptedEarly(final VcpuEntry cur)
    {
        final VcpuEntry head = runq.first();
        if (head == null || !outranks(head, cur))
        {
            return false;
        }
        for (int s = 0; s < running.length; s++)
        {
            final VcpuEntry other = running[s];
            if (other == null || (other != cur && outranks(cur, other)))
            {
                return false;
            }
        }
        return true;
    }

    private void takeSlot(final VcpuEntry e, final int slot, final long nowNs, final boolean fresh)
    {
        running[slot] = e;
        e.slot = slot;
        e.yielding = false;
        if (fresh)
        {
            e.runStartNs = nowNs;
        }
        e.sliceStartNs = nowNs;
        final long rateLimitLeftNs = e.runStartNs + settings.rateLimitNs() - nowNs;
        sliceEndNs[slot] = nowNs + Math.max(runLengthNs(e, nowNs), Math.max(minTimerNs(), rateLimitLeftNs));
    }

    private void leaveSlot(final VcpuEntry e)
    {
        running[e.slot] = null;
        e.slot = -1;
    }

    private void detach(final VcpuEntry e)
    {
        if (e.running())
        {
            leaveSlot(e);
        }
        if (e.queued)
        {
            runq.remove(e);
        }
    }

    private void checkSlot(final int slot)
    {
        if (slot < 0 || slot >= settings.slots())
        {
            throw new IllegalArgumentException("slot " + slot + " outside 0.." + (settings.slots() - 1));
        }
    }

    private void requireInit()
    {
        if (settings == null)
        {
            throw new IllegalStateException(name() + " scheduler: init was not called");
        }
    }

    private void resizeSlots(final int slots, final int oldSlots)
    {
        running = Arrays.copyOf(running, slots);
        sliceEndNs = Arrays.copyOf(sliceEndNs, slots);
        yieldedFrom = Arrays.copyOf(yieldedFrom, slots);
        lastDecision = Arrays.copyOf(lastDecision, slots);
        for (int slot = oldSlots; slot < slots; slot++)
        {
            running[slot] = null;
            yieldedFrom[slot] = null;
            lastDecision[slot] = null;
        }
    }
}
