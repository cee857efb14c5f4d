package org.coopvm.hypervisor.sched.runtime;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.NanoClock;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.Vcpu;
import org.coopvm.hypervisor.domain.VcpuScheduling;
import org.coopvm.hypervisor.sched.SchedParams;
import org.coopvm.hypervisor.sched.Scheduler;
import org.coopvm.hypervisor.sched.SchedulerSettings;
import org.coopvm.rings.domain.Runstate;
import org.coopvm.rings.doorbell.Doorbell;
import org.coopvm.rings.doorbell.HostDoorbellDescriptor;
import org.coopvm.rings.hypercall.Errno;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import static org.coopvm.rings.domain.VcpuInfoDescriptor.RUNSTATE_COUNT;

/**
 * The CPU scheduler agent ({@code cpu-scheduler}): hands the host's P physical CPU slots to guest
 * vCPUs through the slot words of their vcpu_info, as a pluggable {@link Scheduler} decides. Each
 * duty cycle it reads what the guests did (released a slot, asked for one, published their thread
 * id), tells the algorithm (wake, sleep, yield, charge the CPU time used from the thread's
 * schedstat, tick every {@code tickMs} while anything is runnable), asks it who runs on each slot,
 * grants slots (ringing the vCPU's doorbell) and raises the preempt flag of a holder that should
 * make room; a holder that ignores it past its slice plus a grace overruns, and repeated overruns
 * suspend its domain for a penalty period ({@link GuestProcesses} stops a process guest). It is
 * the one writer of every vCPU's runstate. With nothing runnable or running it sleeps on the
 * scheduler doorbell ({@code <run>/host-doorbell}, which guests ring after a change) without a
 * timeout: an idle host costs nothing.
 *
 * <p>Thread safety: its own lock guards everything. {@link #doWork()} on the agent's thread (or a
 * test's); the lifecycle and {@link VcpuScheduling} calls come from threads holding the hypervisor
 * lock (taken before this one, never inside it); the accessors from any thread. The algorithm,
 * the listener and the process hook run under this lock.
 */
public final class CpuScheduler implements Agent, VcpuScheduling
{
    private final ReentrantLock lock = new ReentrantLock();
    private final NanoClock clock;
    private final Doorbell doorbell;
    private final CpuSchedulerConfig config;
    private final String algorithmName;
    private final AtomicLongArray counters = new AtomicLongArray(SchedCounter.values().length);
    private final SlotEngine engine;
    private final AtomicBuffer slotWaiters;
    private int publishedWaiters;
    private boolean changed;
    private volatile boolean terminating;

    /**
     * @param algorithm the algorithm (fresh; it is initialised here with the config's settings).
     * @param config    settings and enforcement.
     * @param clock     the host clock.
     * @param doorbell  the scheduler doorbell guests ring.
     */
    public CpuScheduler(final Scheduler algorithm, final CpuSchedulerConfig config, final NanoClock clock, final Doorbell doorbell)
    {
        this(algorithm, config, clock, doorbell, null);
    }

    /**
     * @param algorithm           the algorithm (fresh; it is initialised here with the config's settings).
     * @param config              settings and enforcement.
     * @param clock               the host clock.
     * @param doorbell            the scheduler doorbell guests ring.
     * @param hostDoorbellPayload the host doorbell region's payload, where the slot waiters word goes; null for none.
     */
    public CpuScheduler(final Scheduler algorithm, final CpuSchedulerConfig config, final NanoClock clock, final Doorbell doorbell,
        final AtomicBuffer hostDoorbellPayload)
    {
        this.slotWaiters = hostDoorbellPayload;
        this.clock = clock;
        this.doorbell = doorbell;
        this.config = config;
        this.algorithmName = algorithm.name();
        this.engine = new SlotEngine(algorithm, config, counters);
    }

    /** @param processes pids of process guests and how to stop them (the toolstack's); set before guests run. */
    public void guestProcesses(final GuestProcesses processes)
    {
        locked(() -> engine.processes(processes));
    }

    /** @param listener told about overruns and suspensions. */
    public void listener(final SchedListener listener)
    {
        locked(() -> engine.listener(listener));
    }

    // ---------------------------------------------------------------- lifecycle (under the hypervisor lock)

    /**
     * A new domain: its vCPUs join the algorithm (blocked until they ask for a slot).
     *
     * @param domain the domain.
     * @param params its scheduling parameters.
     */
    public void add(final Domain domain, final SchedParams params)
    {
        changed(() -> engine.add(domain, params.checkFor(domain.nrVcpus()), clock.nanoTime()));
    }

    /**
     * A domain is destroyed: its slots are free at once, its vCPUs leave the algorithm.
     *
     * @param domain the domain.
     */
    public void remove(final Domain domain)
    {
        changed(() -> engine.remove(domain.domid(), clock.nanoTime()));
    }

    /**
     * The toolstack paused or unpaused a domain: its vCPUs are offline and hold no slot meanwhile.
     *
     * @param domain the domain.
     * @param paused paused or not.
     */
    public void paused(final Domain domain, final boolean paused)
    {
        changed(() -> withDomain(domain.domid(), d -> engine.paused(d, paused, clock.nanoTime())));
    }

    /**
     * Live change of a domain's weight, cap or slice (what the toolstack configures; a shorter slice
     * its guest asked for with SCHEDOP_coop_slice still applies, bounded by the new slice).
     *
     * @param domid  the domain.
     * @param params the new parameters.
     * @return {@code false} when the scheduler does not know the domain.
     * @throws IllegalArgumentException when the cap is above 100 per vCPU of the domain.
     */
    public boolean adjust(final int domid, final SchedParams params)
    {
        return adjust(domid, current -> params, "").isPresent();
    }

    /**
     * Live change of a domain's weight, cap or slice, from its configured parameters, atomically: the
     * algorithm uses them from its next decision on (with a shorter slice the guest asked for, if
     * any), and the listener hears who changed what.
     *
     * @param domid  the domain.
     * @param change makes the new parameters from the configured ones (a {@code SchedParams.with*}
     *               call, which validates).
     * @param by     who asks, for the trace (e.g. {@code "coop sched-credit"}).
     * @return the new configured parameters, empty when the scheduler does not know the domain.
     * @throws IllegalArgumentException naming the value and the range when {@code change} throws it or
     *                                  the cap is above 100 per vCPU; then nothing changed.
     */
    public Optional<SchedParams> adjust(final int domid, final UnaryOperator<SchedParams> change, final String by)
    {
        final SchedParams[] after = new SchedParams[1];
        changed(() -> withDomain(domid, d ->
        {
            final SchedParams before = d.configured;
            after[0] = change.apply(before).checkFor(d.vcpus.length);
            engine.adjust(d, after[0], clock.nanoTime());
            engine.listener().onAdjusted(domid, before, after[0], by);
        }));
        return Optional.ofNullable(after[0]);
    }

    /**
     * Live change of the slice, tick or rate limit (the number of slots is fixed at start).
     *
     * @param settings the new settings.
     * @throws IllegalArgumentException when the slots differ.
     */
    public void adjust(final SchedulerSettings settings)
    {
        adjust(current -> settings, "");
    }

    /**
     * Live change of the host settings from the current ones, atomically; the listener hears who
     * changed what.
     *
     * @param change makes the new settings from the current ones (a {@code SchedulerSettings.with*}
     *               call, which validates).
     * @param by     who asks, for the trace.
     * @return the new settings.
     * @throws IllegalArgumentException naming the value and the range (or a change of the slots); then
     *                                  nothing changed.
     */
    public SchedulerSettings adjust(final UnaryOperator<SchedulerSettings> change, final String by)
    {
        final SchedulerSettings[] after = new SchedulerSettings[1];
        changed(() ->
        {
            final SchedulerSettings before = engine.settings();
            after[0] = change.apply(before);
            engine.adjust(after[0], clock.nanoTime());
            engine.listener().onSettingsAdjusted(before, after[0], by);
        });
        return after[0];
    }

    // ---------------------------------------------------------------- VcpuScheduling (under the hypervisor lock)

    @Override
    public void vcpuOnline(final Domain domain, final int vcpu, final boolean online)
    {
        changed(() -> withVcpu(domain, vcpu, e ->
        {
            e.online = online;
            engine.sync(e, clock.nanoTime());
        }));
    }

    @Override
    public void waitBegins(final Domain domain, final int vcpu)
    {
        changed(() -> withVcpu(domain, vcpu, e ->
        {
            e.waiting = true;
            engine.sync(e, clock.nanoTime());
        }));
    }

    @Override
    public void waitEnds(final Domain domain, final int vcpu)
    {
        changed(() -> withVcpu(domain, vcpu, e ->
        {
            e.waiting = false;
            engine.sync(e, clock.nanoTime());
        }));
    }

    @Override
    public long yield(final Domain domain, final int vcpu, final int target)
    {
        if (target != -1 && !domain.isValidVcpu(target))
        {
            return -Errno.ENOENT;
        }
        if (target == vcpu)
        {
            return -Errno.EINVAL;
        }
        locked(() -> withVcpu(domain, vcpu, e -> e.yieldTarget = target));
        return 0;
    }

    @Override
    public long requestSlice(final Domain domain, final int vcpu, final int sliceMs)
    {
        final boolean changedParams;
        final long result;
        lock.lock();
        try
        {
            final DomainEntry d = engine.domain(domain.domid());
            if (d == null)
            {
                return -Errno.ESRCH;
            }
            final SchedParams before = d.effective(engine.settings().sliceMs());
            result = engine.requestSlice(d, vcpu, sliceMs, clock.nanoTime());
            changedParams = !before.equals(d.effective(engine.settings().sliceMs()));
            changed |= changedParams;
        }
        finally
        {
            lock.unlock();
        }
        if (changedParams)
        {
            doorbell.wakeIfSleeping(); // a request that changes nothing costs no duty cycle: a flood stays cheap
        }
        return result;
    }

    @Override
    public void runstate(final Domain domain, final int vcpu, final Runstate.RunstateSnapshot into)
    {
        locked(() ->
        {
            final Vcpu v = domain.vcpu(vcpu);
            into.state = v.runstate();
            into.entryTimeNs = v.entryTimeNs();
            System.arraycopy(v.timesNs(), 0, into.timesNs, 0, RUNSTATE_COUNT);
        });
    }

    // ---------------------------------------------------------------- the agent

    /** {@inheritDoc} */
    @Override
    public int doWork()
    {
        if (terminating)
        {
            throw new AgentTerminationException("cpu scheduler closing");
        }
        lock.lock();
        try
        {
            counters.incrementAndGet(SchedCounter.DUTY_CYCLES.ordinal());
            final long nowNs = clock.nanoTime();
            int work = changed ? 1 : 0;
            changed = false;
            work += engine.resumeExpired(nowNs);
            work += engine.scanGuests(nowNs);
            work += engine.tickIfDue(nowNs);
            work += engine.schedule(nowNs);
            work += engine.reconcile(nowNs);
            work += engine.enforce(nowNs);
            publishWaiters(engine.waiters());
            return work;
        }
        finally
        {
            lock.unlock();
        }
    }

    /** {@inheritDoc} */
    @Override
    public String roleName()
    {
        return "cpu-scheduler";
    }

    /** The slot waiters word guests read before keeping an idle slot ({@link HostDoorbellDescriptor#SLOT_WAITERS_OFFSET}). */
    private void publishWaiters(final int waiters)
    {
        if (waiters != publishedWaiters && slotWaiters != null)
        {
            slotWaiters.putIntRelease(HostDoorbellDescriptor.SLOT_WAITERS_OFFSET, waiters);
            publishedWaiters = waiters;
        }
    }

    /**
     * The idle strategy's re-check after it announced its sleep on the doorbell.
     *
     * @return 0 when there is work now; else ns until the next tick, slot decision, deadline or
     *         end of a suspension; -1 when nothing is due (sleep until a guest rings).
     */
    public long sleepNs()
    {
        lock.lock();
        try
        {
            if (terminating || changed || engine.guestsChanged())
            {
                return 0;
            }
            final long next = engine.nextDeadlineNs();
            return next == Long.MAX_VALUE ? -1 : Math.max(0, next - clock.nanoTime());
        }
        finally
        {
            lock.unlock();
        }
    }

    /** Make the agent end: its next duty cycle throws {@link AgentTerminationException}; wakes it first. */
    public void terminate()
    {
        terminating = true;
        doorbell.wake();
    }

    // ---------------------------------------------------------------- what tools see

    /** @param counter which. @return its value. */
    public long counter(final SchedCounter counter)
    {
        return counters.get(counter.ordinal());
    }

    /** @return the algorithm's name. */
    public String algorithm()
    {
        return algorithmName;
    }

    /** @return the current settings (slots, slice, tick, rate limit). */
    public SchedulerSettings settings()
    {
        return locked(engine::settings);
    }

    /** @return the configuration it was built with (enforcement). */
    public CpuSchedulerConfig config()
    {
        return config;
    }

    /** @return vCPUs holding a slot now (at most the slots). */
    public int holders()
    {
        return locked(engine::holders);
    }

    /**
     * @param domid a domain, or -1 for all.
     * @return each vCPU's scheduling view now (runstate times brought up to now).
     */
    public List<VcpuSchedInfo> vcpus(final int domid)
    {
        return locked(() ->
        {
            final long nowNs = clock.nanoTime();
            final List<VcpuSchedInfo> infos = new ArrayList<>();
            for (final VcpuEntry e : engine.entries())
            {
                if (domid == -1 || e.domain.domid() == domid)
                {
                    infos.add(VcpuSchedInfo.of(e, engine.algorithmState(e), nowNs));
                }
            }
            return infos;
        });
    }

    /** @return every domain's scheduling view now (parameters, suspension, vCPUs), in domid order. */
    public List<DomainSchedInfo> domains()
    {
        return locked(() ->
        {
            final long nowNs = clock.nanoTime();
            final List<DomainSchedInfo> infos = new ArrayList<>();
            for (final DomainEntry d : engine.domainsInOrder())
            {
                infos.add(info(d, nowNs));
            }
            return infos;
        });
    }

    /**
     * @param domid a domain.
     * @return its scheduling view now, empty when the scheduler does not know it.
     */
    public Optional<DomainSchedInfo> domain(final int domid)
    {
        return locked(() ->
        {
            final DomainEntry d = engine.domain(domid);
            return d == null ? Optional.<DomainSchedInfo>empty() : Optional.of(info(d, clock.nanoTime()));
        });
    }

    private DomainSchedInfo info(final DomainEntry d, final long nowNs)
    {
        final List<VcpuSchedInfo> vcpus = new ArrayList<>(d.vcpus.length);
        for (final VcpuEntry e : d.vcpus)
        {
            vcpus.add(VcpuSchedInfo.of(e, engine.algorithmState(e), nowNs));
        }
        return new DomainSchedInfo(d.domid(), d.configured, d.effective(engine.settings().sliceMs()), d.guestSliceMs,
            d.suspendedUntilNs != 0, vcpus);
    }

    /**
     * @param domid a domain.
     * @return how often it was suspended for ignoring preemption (0 when unknown).
     */
    public long suspensions(final int domid)
    {
        return locked(() ->
        {
            final DomainEntry d = engine.domain(domid);
            return d == null ? 0L : d.suspensions;
        });
    }

    /**
     * @param domid a domain.
     * @return when its suspension ends (host clock), empty when it is not suspended.
     */
    public Optional<Long> suspendedUntilNs(final int domid)
    {
        return locked(() ->
        {
            final DomainEntry d = engine.domain(domid);
            return d == null || d.suspendedUntilNs == 0 ? Optional.<Long>empty() : Optional.of(d.suspendedUntilNs);
        });
    }

    // ---------------------------------------------------------------- plumbing

    private void withDomain(final int domid, final Consumer<DomainEntry> action)
    {
        final DomainEntry d = engine.domain(domid);
        if (d != null)
        {
            action.accept(d);
        }
    }

    private void withVcpu(final Domain domain, final int vcpu, final Consumer<VcpuEntry> action)
    {
        final VcpuEntry e = engine.vcpu(domain.domid(), vcpu);
        if (e != null)
        {
            action.accept(e);
        }
    }

    /** Run a change under the lock, mark a duty cycle due, and wake the agent if it sleeps. */
    private void changed(final Runnable change)
    {
        lock.lock();
        try
        {
            change.run();
            changed = true;
        }
        finally
        {
            lock.unlock();
        }
        doorbell.wakeIfSleeping();
    }

    private void locked(final Runnable action)
    {
        lock.lock();
        try
        {
            action.run();
        }
        finally
        {
            lock.unlock();
        }
    }

    private <T> T locked(final Supplier<T> action)
    {
        lock.lock();
        try
        {
            return action.get();
        }
        finally
        {
            lock.unlock();
        }
    }
}
