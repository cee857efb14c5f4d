package org.coopvm.hypervisor.sched.runtime;

import org.agrona.collections.Int2ObjectHashMap;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.sched.SchedParams;
import org.coopvm.hypervisor.sched.SchedVcpu;
import org.coopvm.hypervisor.sched.Scheduler;
import org.coopvm.hypervisor.sched.SchedulerSettings;
import org.coopvm.hypervisor.sched.VcpuSchedState;
import org.coopvm.rings.hypercall.Errno;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.coopvm.hypervisor.sched.runtime.VcpuEntry.*;
import static org.coopvm.rings.domain.VcpuInfoDescriptor.SLOT_REQUEST_IDLE;
import static org.coopvm.rings.domain.VcpuInfoDescriptor.SLOT_REQUEST_RUNNABLE;
import static org.coopvm.rings.domain.VcpuInfoDescriptor.SLOT_REQUEST_YIELD;

/**
 * The slot mechanism under the algorithm: keeps the books of every vCPU (what it asked for in its
 * slot words, whether it holds a slot), tells the {@link Scheduler} what changed (wake, sleep,
 * yield, charge, tick), asks it who runs on each slot, and carries its decisions out
 * cooperatively: a vCPU the algorithm made a slot's current is granted a slot as soon as fewer than
 * P vCPUs hold one; a holder that is no slot's current any more gets the preempt flag (and a ring
 * of its doorbell: a vCPU asleep waiting for a hypercall's answer gives the slot back then) and, if it
 * keeps its slot past its slice plus the grace, an overrun (and after repeated overruns its domain
 * is suspended). So at most P vCPUs hold slots at any time, in the guests' eyes as in the books.
 * A holder whose request says idle sleeps keeping its slot (the guest's idle slot keep): it gets
 * the preempt flag as soon as all slots are held and another vCPU waits for one, so a kept slot
 * never stands unused while a vCPU waits.
 *
 * <p>Thread safety: none; {@link CpuScheduler} calls it under its lock.
 */
final class SlotEngine
{
    /** Shortest wait before asking the algorithm again about a busy slot: never spin on a decision due now. */
    private static final long MIN_RESCHEDULE_NS = 100_000;

    private final Scheduler algorithm;
    private final CpuSchedulerConfig config;
    private final AtomicLongArray counters;
    private final long ownPid = ProcessHandle.current().pid();
    private final Int2ObjectHashMap<DomainEntry> domains = new Int2ObjectHashMap<>();
    private final List<VcpuEntry> entries = new ArrayList<>();
    private final VcpuEntry[] current;
    private final long[] untilNs;
    private SchedulerSettings settings;
    private GuestProcesses processes = GuestProcesses.NONE;
    private SchedListener listener = SchedListener.NONE;
    private int holders;
    private long nextTickNs = Long.MAX_VALUE;
    private boolean rescheduleAll;

    SlotEngine(final Scheduler algorithm, final CpuSchedulerConfig config, final AtomicLongArray counters)
    {
        this.algorithm = algorithm;
        this.config = config;
        this.counters = counters;
        this.settings = config.settings();
        this.current = new VcpuEntry[settings.slots()];
        this.untilNs = new long[settings.slots()];
        algorithm.init(settings);
    }

    void processes(final GuestProcesses value)
    {
        processes = value;
    }

    void listener(final SchedListener value)
    {
        listener = value;
    }

    SchedListener listener()
    {
        return listener;
    }

    SchedulerSettings settings()
    {
        return settings;
    }

    int holders()
    {
        return holders;
    }

    // ---------------------------------------------------------------- domains and vCPUs

    void add(final Domain domain, final SchedParams params, final long nowNs)
    {
        final DomainEntry d = new DomainEntry(domain, params, nowNs, config.overrunLimit());
        domains.put(domain.domid(), d);
        for (final VcpuEntry e : d.vcpus)
        {
            entries.add(e);
            algorithm.insert(e.sched, nowNs);
            publish(e, nowNs);
        }
    }

    void remove(final int domid, final long nowNs)
    {
        final DomainEntry d = domains.remove(domid);
        if (d == null)
        {
            return;
        }
        for (final VcpuEntry e : d.vcpus)
        {
            if (e.phase == GRANTED)
            {
                holders--;
            }
            leaveSlot(e);
            algorithm.remove(e.sched, nowNs);
            e.phase = NOT_GRANTED;
            e.algo = ASLEEP;
            closeClock(e);
            entries.remove(e);
        }
        d.removed = true;
        for (final VcpuEntry e : d.vcpus)
        {
            publish(e, nowNs);
        }
    }

    DomainEntry domain(final int domid)
    {
        return domains.get(domid);
    }

    /** @return the domains, in domid order (a copy). */
    List<DomainEntry> domainsInOrder()
    {
        final List<DomainEntry> list = new ArrayList<>(domains.values());
        list.sort((a, b) -> Integer.compare(a.domid(), b.domid()));
        return list;
    }

    VcpuEntry vcpu(final int domid, final int vcpu)
    {
        final DomainEntry d = domains.get(domid);
        return d == null || vcpu < 0 || vcpu >= d.vcpus.length ? null : d.vcpus[vcpu];
    }

    void paused(final DomainEntry d, final boolean paused, final long nowNs)
    {
        d.paused = paused;
        updateProcessStop(d);
        syncDomain(d, nowNs);
    }

    /** The toolstack's change: the domain's configured parameters (a slice the guest asked for still applies, if shorter). */
    void adjust(final DomainEntry d, final SchedParams params, final long nowNs)
    {
        d.configured = params;
        applyParams(d, nowNs);
    }

    void adjust(final SchedulerSettings value, final long nowNs)
    {
        if (value.slots() != settings.slots())
        {
            throw new IllegalArgumentException("cpu slots cannot change at run time: " + settings.slots() + " -> " + value.slots());
        }
        algorithm.adjust(value, nowNs);
        settings = value;
        for (final DomainEntry d : domains.values())
        {
            applyParams(d, nowNs); // the host's slice bounds what guests asked for
        }
        rescheduleAll = true;
    }

    /**
     * The guest's SCHEDOP_coop_slice: a slice for its domain no longer than the configured one, or
     * 0 to go back to that.
     *
     * @return the slice in effect now, ms, or {@code -EINVAL} (nothing changed) for a value outside
     *         0..the configured slice.
     */
    long requestSlice(final DomainEntry d, final int vcpu, final int sliceMs, final long nowNs)
    {
        final int configuredMs = d.configuredSliceMs(settings.sliceMs());
        if (sliceMs < 0 || sliceMs > configuredMs)
        {
            counters.incrementAndGet(SchedCounter.SLICE_REQUESTS_REFUSED.ordinal());
            return -Errno.EINVAL;
        }
        counters.incrementAndGet(SchedCounter.SLICE_REQUESTS.ordinal());
        d.guestSliceMs = sliceMs;
        final int effectiveMs = d.effective(settings.sliceMs()).sliceMsOr(settings.sliceMs());
        if (applyParams(d, nowNs))
        {
            listener.onSliceRequest(d.domid(), vcpu, sliceMs, effectiveMs, configuredMs);
        }
        return effectiveMs;
    }

    /** @return whether the domain's effective parameters changed (the algorithm was told). */
    private boolean applyParams(final DomainEntry d, final long nowNs)
    {
        final SchedParams effective = d.effective(settings.sliceMs());
        if (d.vcpus.length == 0 || effective.equals(d.vcpus[0].sched.params()))
        {
            return false;
        }
        algorithm.adjust(d.domid(), effective, nowNs);
        for (final VcpuEntry e : d.vcpus)
        {
            e.sched.params(effective);
        }
        rescheduleAll = true;
        return true;
    }

    /**
     * Bring the algorithm and the books in line with what {@code e} may and wants to do now; take a
     * slot back from a vCPU that may not run; publish its runstate.
     */
    void sync(final VcpuEntry e, final long nowNs)
    {
        final boolean runnable = e.isRunnable();
        if (runnable && e.algo == ASLEEP)
        {
            algorithm.wake(e.sched, nowNs);
            e.algo = QUEUED;
            rescheduleAll = true;
            startTicking(nowNs);
        }
        else if (!runnable && e.algo != ASLEEP)
        {
            leaveSlot(e);
            algorithm.sleep(e.sched, nowNs);
            e.algo = ASLEEP;
        }
        if (e.phase == GRANTED && !e.isEligible())
        {
            revoke(e, nowNs);
        }
        if (e.phase == REVOKED && !e.isEligible())
        {
            e.deadlineNs = 0;
        }
        else if (e.phase == REVOKED && e.deadlineNs == 0)
        {
            startDeadline(e, nowNs + config.graceNs());
        }
        publish(e, nowNs);
    }

    void syncDomain(final DomainEntry d, final long nowNs)
    {
        for (final VcpuEntry e : d.vcpus)
        {
            sync(e, nowNs);
        }
    }

    // ---------------------------------------------------------------- the duty cycle

    /** @return changes seen in the guests' slot words and liveness. */
    int scanGuests(final long nowNs)
    {
        int work = 0;
        for (final DomainEntry d : domains.values())
        {
            final boolean gone = d.readGuestGone();
            if (gone != d.guestGone)
            {
                d.guestGone = gone;
                syncDomain(d, nowNs);
                work++;
            }
        }
        for (int i = 0; i < entries.size(); i++)
        {
            work += scan(entries.get(i), nowNs);
        }
        return work;
    }

    /** @return whether a guest changed something {@link #scanGuests} would act on (read only). */
    boolean guestsChanged()
    {
        for (final DomainEntry d : domains.values())
        {
            if (d.readGuestGone() != d.guestGone)
            {
                return true;
            }
        }
        for (int i = 0; i < entries.size(); i++)
        {
            final VcpuEntry e = entries.get(i);
            if (e.slot.nativeTid() != e.tid ||
                (e.phase != NOT_GRANTED ? e.slot.releaseSeq() == e.grantSeq : wantsSlot(e.slot.request()) != e.wants))
            {
                return true;
            }
        }
        return false;
    }

    int resumeExpired(final long nowNs)
    {
        int work = 0;
        for (final DomainEntry d : domains.values())
        {
            if (d.suspendedUntilNs != 0 && nowNs - d.suspendedUntilNs >= 0)
            {
                d.suspendedUntilNs = 0;
                updateProcessStop(d);
                syncDomain(d, nowNs);
                listener.onResumed(d.domid());
                work++;
            }
        }
        return work;
    }

    int tickIfDue(final long nowNs)
    {
        if (nextTickNs != Long.MAX_VALUE && !isActive())
        {
            nextTickNs = Long.MAX_VALUE; // nothing runnable or running any more: no tick
        }
        if (nextTickNs == Long.MAX_VALUE || nowNs - nextTickNs < 0 || !algorithm.needsTick())
        {
            return 0; // a tick the algorithm does not need is left out (once it needs them again, it gets one at once)
        }
        chargeHolders(nowNs);
        algorithm.tick(nowNs);
        counters.incrementAndGet(SchedCounter.TICKS.ordinal());
        rescheduleAll = true;
        final long next = nextTickNs + settings.tickNs();
        nextTickNs = !isActive() ? Long.MAX_VALUE : next - nowNs > 0 ? next : nowNs + settings.tickNs();
        return 1;
    }

    /**
     * Ask the algorithm about free slots, then about busy ones whose time is up (all after a change).
     * A slot whose current still waits for its grant (the vCPU it replaces has not given the slot
     * back yet) is not asked again: the decision stands until it is carried out, so a holder that is
     * slow to give a slot back cannot win it back by the time its successor spent waiting.
     */
    int schedule(final long nowNs)
    {
        int work = 0;
        for (int s = 0; s < current.length; s++)
        {
            if (current[s] == null)
            {
                final Scheduler.Decision d = algorithm.schedule(s, null, nowNs);
                untilNs[s] = Long.MAX_VALUE;
                if (d.next() != null)
                {
                    assign(s, d, nowNs);
                    work++;
                }
            }
        }
        for (int s = 0; s < current.length; s++)
        {
            final VcpuEntry c = current[s];
            if (c != null && c.phase == GRANTED && (rescheduleAll || nowNs - untilNs[s] >= 0))
            {
                work += reschedule(s, c, nowNs);
            }
        }
        rescheduleAll = false;
        return work;
    }

    /**
     * Carry the decisions out: preempt holders that are no slot's current, and holders keeping an
     * idle slot while another vCPU waits; grant currents that hold none.
     */
    int reconcile(final long nowNs)
    {
        int work = 0;
        final boolean reclaimKept = holders == current.length && waiters() > 0;
        for (int i = 0; i < entries.size(); i++)
        {
            final VcpuEntry e = entries.get(i);
            if (e.phase == GRANTED)
            {
                final boolean stays = e.algo == CURRENT && !(reclaimKept && e.slot.request() == SLOT_REQUEST_IDLE);
                work += stays ? cancelPreempt(e) : preempt(e, nowNs);
            }
        }
        for (int s = 0; s < current.length && holders < current.length; s++)
        {
            final VcpuEntry e = current[s];
            if (e != null && e.phase == NOT_GRANTED && e.wants && e.isEligible())
            {
                grant(e, s, nowNs);
                work++;
            }
        }
        return work;
    }

    /** @return vCPUs that hold no slot, want one and may have it. */
    int waiters()
    {
        int waiters = 0;
        for (int i = 0; i < entries.size(); i++)
        {
            final VcpuEntry e = entries.get(i);
            if (e.phase == NOT_GRANTED && e.wants && e.isEligible())
            {
                waiters++;
            }
        }
        return waiters;
    }

    /** Overruns of vCPUs past their deadline; repeated ones suspend the domain. */
    int enforce(final long nowNs)
    {
        int work = 0;
        for (int i = 0; i < entries.size(); i++)
        {
            final VcpuEntry e = entries.get(i);
            if (e.deadlineNs != 0 && nowNs - e.deadlineNs >= 0 && !excused(e) && !starved(e, nowNs))
            {
                overrun(e, nowNs);
                work++;
            }
        }
        return work;
    }

    /**
     * @return the next time something is due (tick, slot decision, deadline, end of a suspension), or MAX_VALUE. A slot whose
     *         current still waits for its grant has no decision due (it is not asked again, see {@link #schedule}); the
     *         release that frees a slot for it rings the doorbell. Counting its passed decision time made the agent spin.
     */
    long nextDeadlineNs()
    {
        long next = algorithm.needsTick() ? nextTickNs : Long.MAX_VALUE;
        for (int s = 0; s < current.length; s++)
        {
            if (current[s] != null && current[s].phase == GRANTED)
            {
                next = earlier(next, untilNs[s]);
            }
        }
        for (int i = 0; i < entries.size(); i++)
        {
            next = earlier(next, entries.get(i).deadlineNs);
        }
        for (final DomainEntry d : domains.values())
        {
            next = earlier(next, d.suspendedUntilNs);
        }
        return next;
    }

    List<VcpuEntry> entries()
    {
        return entries;
    }

    VcpuSchedState algorithmState(final VcpuEntry e)
    {
        return algorithm.state(e.sched);
    }

    // ---------------------------------------------------------------- transitions

    private int scan(final VcpuEntry e, final long nowNs)
    {
        int work = 0;
        final int tid = e.slot.nativeTid();
        if (tid != e.tid)
        {
            e.tid = tid;
            closeClock(e);
            openClock(e);
            work++;
        }
        if (e.phase != NOT_GRANTED)
        {
            if (e.slot.releaseSeq() == e.grantSeq)
            {
                released(e, e.slot.request(), nowNs);
                work++;
            }
        }
        else
        {
            final boolean wants = wantsSlot(e.slot.request());
            if (wants != e.wants)
            {
                e.wants = wants;
                sync(e, nowNs);
                work++;
            }
        }
        return work;
    }

    private void released(final VcpuEntry e, final int request, final long nowNs)
    {
        charge(e, nowNs);
        counters.incrementAndGet(SchedCounter.RELEASES.ordinal());
        if (e.phase == GRANTED)
        {
            holders--;
        }
        e.phase = NOT_GRANTED;
        e.grantSlot = -1;
        e.preemptAtNs = 0;
        e.deadlineNs = 0;
        e.wants = wantsSlot(request);
        if (e.algo == CURRENT)
        {
            leaveSlot(e);
            if (e.wants && e.isEligible())
            {
                yieldInAlgorithm(e, nowNs);
                e.algo = QUEUED;
            }
            else
            {
                algorithm.sleep(e.sched, nowNs);
                e.algo = ASLEEP;
            }
        }
        e.yieldTarget = -1;
        sync(e, nowNs);
    }

    private void yieldInAlgorithm(final VcpuEntry e, final long nowNs)
    {
        final VcpuEntry target = e.yieldTarget < 0 ? null : e.domain.vcpus[e.yieldTarget];
        if (target != null && target.algo == QUEUED)
        {
            algorithm.yieldTo(e.sched, target.sched, nowNs);
        }
        else
        {
            algorithm.yield(e.sched, nowNs);
        }
    }

    private int reschedule(final int s, final VcpuEntry c, final long nowNs)
    {
        if (c.lastChargeNs != nowNs)
        {
            charge(c, nowNs); // the SPI: charge before asking about the slot it holds (credit2 picks by credit)
        }
        final Scheduler.Decision d = algorithm.schedule(s, c.sched, nowNs);
        if (d.next() == c.sched)
        {
            untilNs[s] = until(d, nowNs);
            return 0;
        }
        c.algo = QUEUED;
        c.currentSlot = -1;
        current[s] = null;
        untilNs[s] = Long.MAX_VALUE;
        if (d.next() != null)
        {
            assign(s, d, nowNs);
        }
        return 1;
    }

    private void assign(final int s, final Scheduler.Decision d, final long nowNs)
    {
        final SchedVcpu next = d.next();
        final VcpuEntry e = vcpu(next.domid(), next.vcpuId());
        if (e == null)
        {
            return; // not one of ours: the algorithm's mistake; the slot stays free
        }
        leaveSlot(e);
        current[s] = e;
        e.algo = CURRENT;
        e.currentSlot = s;
        untilNs[s] = until(d, nowNs);
    }

    private void grant(final VcpuEntry e, final int s, final long nowNs)
    {
        e.grantSeq = e.slot.grant(s);
        e.phase = GRANTED;
        e.grantSlot = s;
        e.grantedAtNs = nowNs;
        e.lastChargeNs = nowNs;
        holders++;
        counters.incrementAndGet(SchedCounter.GRANTS.ordinal());
        publish(e, nowNs);
        e.doorbell.wakeIfSleeping();
    }

    private int preempt(final VcpuEntry e, final long nowNs)
    {
        if (e.preemptAtNs != 0)
        {
            return 0;
        }
        e.slot.preempt(true);
        e.doorbell.wakeIfSleeping();
        e.preemptAtNs = nonZero(nowNs);
        startDeadline(e, Math.max(nowNs, e.grantedAtNs + sliceNs(e)) + config.graceNs());
        counters.incrementAndGet(SchedCounter.PREEMPTIONS.ordinal());
        return 1;
    }

    private int cancelPreempt(final VcpuEntry e)
    {
        if (e.preemptAtNs == 0)
        {
            return 0;
        }
        e.slot.preempt(false);
        e.preemptAtNs = 0;
        e.deadlineNs = 0;
        return 1;
    }

    private void revoke(final VcpuEntry e, final long nowNs)
    {
        charge(e, nowNs);
        holders--;
        e.phase = REVOKED;
        e.slot.preempt(true);
        e.doorbell.wakeIfSleeping();
        e.preemptAtNs = nonZero(nowNs);
        e.deadlineNs = 0;
        e.grantSlot = -1;
        counters.incrementAndGet(SchedCounter.REVOCATIONS.ordinal());
    }

    private void overrun(final VcpuEntry e, final long nowNs)
    {
        counters.incrementAndGet(SchedCounter.OVERRUNS.ordinal());
        final int recent = e.recordOverrun(nowNs, config.overrunWindowNs());
        listener.onOverrun(e.domain.domid(), e.vcpu, nowNs - e.preemptAtNs, recent);
        if (recent >= config.overrunLimit())
        {
            suspend(e, recent, nowNs);
        }
        else
        {
            startDeadline(e, nowNs + config.graceNs() + (e.phase == GRANTED ? sliceNs(e) : 0));
        }
    }

    /** Arm the enforcement deadline, noting the thread's run-queue wait so far (see {@link #excused}). */
    private void startDeadline(final VcpuEntry e, final long deadlineNs)
    {
        e.deadlineNs = nonZero(deadlineNs);
        e.cpuAtDeadlineStartNs = e.cpuClock == null ? -1 : e.cpuClock.cpuNs();
        e.waitAtDeadlineStartNs = e.cpuAtDeadlineStartNs < 0 ? -1 : e.cpuClock.waitNs();
        e.excusedNs = 0;
        e.starvedExcusedNs = 0;
    }

    /**
     * Time the vCPU's thread spent runnable but waiting for a host CPU since its deadline was armed
     * (an overloaded host, not the guest) moves the deadline, up to one slice as configured (a
     * shorter slice the guest asked for does not shrink its excuse); beyond that, or without
     * schedstat, the guest is blamed.
     *
     * @return whether the deadline moved (no overrun now).
     */
    private boolean excused(final VcpuEntry e)
    {
        if (e.waitAtDeadlineStartNs < 0 || e.cpuClock == null || e.cpuClock.cpuNs() < 0 || e.cpuClock.waitNs() < 0)
        {
            return false;
        }
        final long waitedNs = Math.min(e.cpuClock.waitNs() - e.waitAtDeadlineStartNs, configuredSliceNs(e));
        if (waitedNs <= e.excusedNs)
        {
            return false;
        }
        e.deadlineNs = nonZero(e.deadlineNs + waitedNs - e.excusedNs);
        e.excusedNs = waitedNs;
        counters.incrementAndGet(SchedCounter.OVERRUNS_EXCUSED.ordinal());
        return true;
    }

    /**
     * A thread that is runnable now (waiting for a host CPU, or just on one) but has had less than
     * the grace in CPU time since its deadline was armed has not had the chance to reach a safe
     * point: the host's overload again, which {@link #excused} cannot see while the wait lasts
     * (schedstat adds a wait once it is over). Its deadline moves by the CPU it still lacks, up to
     * the overrun window in all; a thread that sleeps, is stopped, or spins through the grace in
     * CPU without giving the slot back is not excused.
     *
     * @return whether the deadline moved (no overrun now).
     */
    private boolean starved(final VcpuEntry e, final long nowNs)
    {
        if (e.cpuAtDeadlineStartNs < 0 || e.cpuClock == null || e.starvedExcusedNs >= config.overrunWindowNs())
        {
            return false;
        }
        final long cpuNs = e.cpuClock.cpuNs();
        final long lackingNs = config.graceNs() - (cpuNs - e.cpuAtDeadlineStartNs);
        if (cpuNs < 0 || lackingNs <= 0 || !e.cpuClock.runnable())
        {
            return false;
        }
        final long moveNs = Math.max(lackingNs, MIN_RESCHEDULE_NS);
        e.deadlineNs = nonZero(nowNs + moveNs);
        e.starvedExcusedNs += moveNs;
        counters.incrementAndGet(SchedCounter.OVERRUNS_EXCUSED.ordinal());
        return true;
    }

    private void suspend(final VcpuEntry e, final int recent, final long nowNs)
    {
        final DomainEntry d = e.domain;
        d.suspendedUntilNs = nonZero(nowNs + config.penaltyNs());
        d.suspensions++;
        counters.incrementAndGet(SchedCounter.SUSPENSIONS.ordinal());
        e.forgetOverruns();
        e.deadlineNs = 0;
        syncDomain(d, nowNs);
        updateProcessStop(d);
        listener.onSuspended(d.domid(), e.vcpu, config.penaltyNs(), recent, "vcpu " + e.vcpu + " kept its slot past its slice + " +
            config.graceMs() + " ms grace after the preempt flag " + recent + " times within " + config.overrunWindowMs() + " ms");
    }

    /** A process guest is stopped while its domain is paused or suspended, and continued once neither. */
    private void updateProcessStop(final DomainEntry d)
    {
        final boolean stop = d.paused || d.suspendedUntilNs != 0;
        if (stop != d.processStopped)
        {
            d.processStopped = stop;
            if (!d.inProcess)
            {
                if (stop)
                {
                    processes.stop(d.domid());
                }
                else
                {
                    processes.resume(d.domid());
                }
            }
        }
    }

    private void leaveSlot(final VcpuEntry e)
    {
        if (e.algo == CURRENT && e.currentSlot >= 0)
        {
            current[e.currentSlot] = null;
            untilNs[e.currentSlot] = Long.MAX_VALUE;
            e.currentSlot = -1;
        }
    }

    private void publish(final VcpuEntry e, final long nowNs)
    {
        e.domain.domain.publishRunstate(e.vcpu, e.runstate(), nowNs);
    }

    // ---------------------------------------------------------------- CPU accounting

    private void chargeHolders(final long nowNs)
    {
        for (int i = 0; i < entries.size(); i++)
        {
            final VcpuEntry e = entries.get(i);
            if (e.phase != NOT_GRANTED)
            {
                charge(e, nowNs);
            }
        }
    }

    /** Charge the CPU the vCPU's thread used since the last charge (schedstat), or the wall time it held its slot. */
    private void charge(final VcpuEntry e, final long nowNs)
    {
        if (e.cpuClock == null)
        {
            openClock(e);
        }
        long usedNs = -1;
        if (e.cpuClock != null)
        {
            final long cpuNs = e.cpuClock.cpuNs();
            if (cpuNs >= 0)
            {
                usedNs = Math.max(0, cpuNs - e.lastCpuNs);
                e.lastCpuNs = cpuNs;
                counters.incrementAndGet(SchedCounter.CPU_TIME_CHARGES.ordinal());
            }
            else
            {
                closeClock(e);
            }
        }
        if (usedNs < 0)
        {
            usedNs = e.phase == GRANTED ? Math.max(0, nowNs - Math.max(e.lastChargeNs, e.grantedAtNs)) : 0;
            e.wallCharges++;
            counters.incrementAndGet(SchedCounter.WALL_TIME_CHARGES.ordinal());
        }
        e.lastChargeNs = nowNs;
        e.chargedNs += usedNs;
        if (usedNs > 0)
        {
            algorithm.charge(e.sched, usedNs, nowNs);
        }
    }

    /** Open the thread's schedstat once its id and its process's pid are known (each pid tried once). */
    private void openClock(final VcpuEntry e)
    {
        if (e.tid <= 0)
        {
            return;
        }
        final long pid = e.domain.inProcess ? ownPid : processes.pid(e.domain.domid());
        if (pid <= 0 || pid == e.pidTried)
        {
            return;
        }
        e.pidTried = pid;
        e.cpuClock = SchedstatClock.open(pid, e.tid);
        if (e.cpuClock != null)
        {
            e.lastCpuNs = e.cpuClock.cpuNs();
        }
    }

    private static void closeClock(final VcpuEntry e)
    {
        if (e.cpuClock != null)
        {
            e.cpuClock.close();
            e.cpuClock = null;
        }
        e.pidTried = -1;
    }

    // ---------------------------------------------------------------- helpers

    private long sliceNs(final VcpuEntry e)
    {
        return e.sched.params().sliceMsOr(settings.sliceMs()) * 1_000_000L;
    }

    private long configuredSliceNs(final VcpuEntry e)
    {
        return e.domain.configuredSliceMs(settings.sliceMs()) * 1_000_000L;
    }

    private void startTicking(final long nowNs)
    {
        if (nextTickNs == Long.MAX_VALUE)
        {
            nextTickNs = nowNs + settings.tickNs();
        }
    }

    /** @return whether any vCPU is runnable, running or holds a slot (ticks run only then). */
    private boolean isActive()
    {
        for (int i = 0; i < entries.size(); i++)
        {
            final VcpuEntry e = entries.get(i);
            if (e.algo != ASLEEP || e.phase != NOT_GRANTED)
            {
                return true;
            }
        }
        return false;
    }

    private static long until(final Scheduler.Decision d, final long nowNs)
    {
        return d.untilNs() - nowNs < MIN_RESCHEDULE_NS ? nowNs + MIN_RESCHEDULE_NS : d.untilNs();
    }

    private static long earlier(final long a, final long b)
    {
        if (b == 0 || b == Long.MAX_VALUE)
        {
            return a;
        }
        return a == Long.MAX_VALUE || b - a < 0 ? b : a;
    }

    /** Deadlines and suspension ends use 0 for "none": a time that happens to be 0 moves by 1 ns. */
    private static long nonZero(final long timeNs)
    {
        return timeNs == 0 ? 1 : timeNs;
    }

    static boolean wantsSlot(final int request)
    {
        return request == SLOT_REQUEST_RUNNABLE || request == SLOT_REQUEST_YIELD;
    }
}
