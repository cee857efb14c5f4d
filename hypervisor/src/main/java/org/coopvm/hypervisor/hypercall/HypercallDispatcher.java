package org.coopvm.hypervisor.hypercall;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainCounter;
import org.coopvm.hypervisor.domain.DomainFaultListener;
import org.coopvm.hypervisor.domain.DomainTable;
import org.coopvm.hypervisor.domain.EventObserver;
import org.coopvm.hypervisor.domain.Vcpu;
import org.coopvm.hypervisor.domain.VcpuScheduling;
import org.coopvm.hypervisor.event.EventChannels;
import org.coopvm.hypervisor.grant.GrantTables;
import org.coopvm.hypervisor.memory.Reservations;
import org.coopvm.rings.channel.OfferResult;
import org.coopvm.rings.hypercall.Errno;
import org.coopvm.rings.hypercall.HypercallOp;
import org.coopvm.rings.hypercall.HypercallResponse;
import org.coopvm.rings.hypercall.HypercallResponseDescriptor;
import org.coopvm.rings.hypercall.SchedOpDescriptor;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The hypercall agent: polls every served domain's hypercall channel (at most
 * {@code pollLimit} messages per domain per duty cycle, round robin), copies each message into
 * private memory before reading it, validates the header and dispatches through a table of
 * per-op handlers; writes the answer to the caller's {@code vcpu<K>.rsp} and never blocks on a
 * guest (a full response channel drops the answer and counts a fault). SCHEDOP_block and
 * SCHEDOP_poll are answered later, when an event is pending (or the poll times out). Runs the
 * timer queue (vCPU timers, poll timeouts, watchdogs) and heartbeats the host's liveness slots.
 * A domain whose faults (malformed calls + dropped answers) pass the threshold is shut down
 * with reason crash.
 *
 * <p>Thread safety: {@link #doWork()} on the agent thread (or a test's thread); every duty
 * cycle holds the hypervisor lock, which API threads take too.
 */
public final class HypercallDispatcher implements Agent, EventObserver, WaitAnswerer
{
    /** Longest request copied and served; longer ones are malformed. */
    public static final int MAX_REQUEST_LENGTH = 64 * 1024;

    private final ReentrantLock lock;
    private final HypercallServices services;
    private final DomainFaultListener faults;
    private final HypercallListener listener;
    private final EpochClock epochClock;
    private final Settings settings;
    private final OpHandler[] ops = new OpHandler[64];
    private final SchedOps sched;
    private final VcpuOps vcpuOps;
    private final UnsafeBuffer copy = new UnsafeBuffer(new byte[MAX_REQUEST_LENGTH]);
    private final HypercallContext ctx = new HypercallContext();
    private final UnsafeBuffer waitResponseBuffer = new UnsafeBuffer(new byte[HypercallResponseDescriptor.HEADER_LENGTH]);
    private final HypercallResponse waitResponse = new HypercallResponse().wrap(waitResponseBuffer, 0, waitResponseBuffer.capacity());
    private final MessageHandler messageHandler = this::onMessage;
    private final TimerQueue.Expiry expiry = this::onTimer;
    private Domain current;
    private int roundRobin;
    private long lastHeartbeatNs;

    /**
     * Tuning of the dispatcher.
     *
     * @param pollLimit           most messages taken from one domain per duty cycle (fairness).
     * @param faultThreshold      faults after which a domain is shut down as crashed.
     * @param heartbeatIntervalNs period of the host's liveness heartbeats.
     */
    public record Settings(int pollLimit, int faultThreshold, long heartbeatIntervalNs)
    {
    }

    /**
     * @param lock       the hypervisor lock.
     * @param domains    domains.
     * @param events     event channels.
     * @param grants     grant tables.
     * @param reservations the memory pool and physmaps.
     * @param console    console output.
     * @param control    shutdown.
     * @param faults     told about guest faults and crashes.
     * @param listener   told about every answered hypercall.
     * @param clock      host clock, ns.
     * @param epochClock epoch clock, ms (liveness heartbeats).
     * @param cpu        the CPU scheduler (vCPU up/down, waits, yields, runstates).
     * @param settings   tuning.
     */
    public HypercallDispatcher(final ReentrantLock lock, final DomainTable domains, final EventChannels events,
        final GrantTables grants, final Reservations reservations, final ConsoleSink console, final DomainControl control,
        final DomainFaultListener faults, final HypercallListener listener, final NanoClock clock, final EpochClock epochClock,
        final VcpuScheduling cpu, final Settings settings)
    {
        this.lock = lock;
        this.services = new HypercallServices(domains, events, grants, reservations, new TimerQueue(), console, control, clock, cpu);
        this.faults = faults;
        this.listener = listener;
        this.epochClock = epochClock;
        this.settings = settings;
        this.sched = new SchedOps(services, this);
        this.vcpuOps = new VcpuOps(services);
        final InfoOps info = new InfoOps(services);
        ops[HypercallOp.XEN_VERSION] = info.xenVersion();
        ops[HypercallOp.CONSOLE_IO] = info.consoleIo();
        ops[HypercallOp.MEMORY_OP] = new MemoryOps(services).table();
        ops[HypercallOp.SCHED_OP] = sched.table();
        ops[HypercallOp.VCPU_OP] = vcpuOps.table();
        ops[HypercallOp.EVENT_CHANNEL_OP] = new EventChannelOps(events).table();
        ops[HypercallOp.GRANT_TABLE_OP] = new GrantTableOps(grants).table();
        ops[HypercallOp.MULTICALL] = new MulticallOps(ops);
        this.lastHeartbeatNs = clock.nanoTime();
    }

    /** {@inheritDoc} */
    @Override
    public int doWork()
    {
        lock.lock();
        try
        {
            final long nowNs = services.clock().nanoTime();
            final int work = services.timers().poll(nowNs, expiry) + serveDomains();
            heartbeat(nowNs);
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
        return "hypercall-dispatcher";
    }

    /** @return whether a served domain has a hypercall waiting or a timer is due (takes the lock). */
    public boolean hasWork()
    {
        lock.lock();
        try
        {
            if (services.timers().nextDeadlineNs() - services.clock().nanoTime() <= 0)
            {
                return true;
            }
            for (final Domain domain : services.domains().guests())
            {
                if (domain.isServed() && !domain.hypercalls().isEmpty())
                {
                    return true;
                }
            }
            return false;
        }
        finally
        {
            lock.unlock();
        }
    }

    /** @return ns until the next timer or heartbeat is due (0 when overdue); takes the lock. */
    public long nanosToNextDeadline()
    {
        lock.lock();
        try
        {
            final long nowNs = services.clock().nanoTime();
            final long heartbeatNs = lastHeartbeatNs + settings.heartbeatIntervalNs() - nowNs;
            final long timerNs = services.timers().nextDeadlineNs() == Long.MAX_VALUE ? Long.MAX_VALUE :
                services.timers().nextDeadlineNs() - nowNs;
            return Math.max(0, Math.min(heartbeatNs, timerNs));
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Forget a domain being destroyed: its timers and watchdogs. Under the hypervisor lock.
     *
     * @param domain the domain.
     */
    public void forget(final Domain domain)
    {
        services.timers().removeAll(domain);
        sched.watchdogs().forget(domain);
    }

    /** @return timers queued (including cancelled ones not yet expired). */
    public int queuedTimers()
    {
        return services.timers().size();
    }

    /** {@inheritDoc} */
    @Override
    public void onEventPending(final Domain domain, final int vcpu, final int port, final boolean kicked)
    {
        sched.onEventPending(domain, vcpu, port);
    }

    /** {@inheritDoc} */
    @Override
    public void answerWait(final Domain domain, final int vcpu, final long result)
    {
        final Vcpu v = domain.vcpu(vcpu);
        if (v.waitKind() == Vcpu.WAIT_NONE)
        {
            return;
        }
        final int cmd = v.waitKind() == Vcpu.WAIT_BLOCK ? SchedOpDescriptor.SCHEDOP_BLOCK : SchedOpDescriptor.SCHEDOP_POLL;
        final int op = v.waitOp();
        waitResponse.callId(v.waitCallId()).result(result);
        v.endWait();
        services.cpu().waitEnds(domain, vcpu);
        respond(domain, vcpu, op, waitResponseBuffer, HypercallResponseDescriptor.HEADER_LENGTH);
        listener.onHypercall(domain, vcpu, op, cmd, result, 0);
    }

    private int serveDomains()
    {
        final Domain[] guests = services.domains().guests();
        int work = 0;
        final int start = guests.length == 0 ? 0 : Math.floorMod(roundRobin++, guests.length);
        for (int i = 0; i < guests.length; i++)
        {
            final Domain domain = guests[(start + i) % guests.length];
            if (domain.isServed())
            {
                current = domain;
                work += domain.hypercalls().poll(messageHandler, settings.pollLimit());
            }
        }
        current = null;
        return work;
    }

    private void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final Domain domain = current;
        if (!domain.isServed())
        {
            return;
        }
        if (length > copy.capacity())
        {
            fault(domain, msgTypeId, DomainCounter.MALFORMED, "oversized hypercall of " + length + " bytes");
            return;
        }
        copy.putBytes(0, buffer, index, length);
        try
        {
            serve(domain, msgTypeId, length);
        }
        catch (final RuntimeException ex)
        {
            fault(domain, msgTypeId, DomainCounter.MALFORMED, "hypercall failed in the hypervisor: " + ex);
        }
    }

    private void serve(final Domain domain, final int op, final int length)
    {
        final long startNs = services.clock().nanoTime();
        ctx.reset(domain, op, copy, length);
        if (!ctx.request().isHeaderComplete())
        {
            fault(domain, op, DomainCounter.MALFORMED, "truncated header: " + length + " bytes");
            return;
        }
        final int vcpu = ctx.vcpu();
        if (!domain.isValidVcpu(vcpu))
        {
            fault(domain, op, DomainCounter.MALFORMED, "hypercall from vcpu " + vcpu + " of " + domain.nrVcpus());
            return;
        }
        if (domain.vcpu(vcpu).waitKind() != Vcpu.WAIT_NONE)
        {
            answerWait(domain, vcpu, -Errno.EINTR);
            fault(domain, op, DomainCounter.MALFORMED, "hypercall from vcpu " + vcpu + " while it waits in sched_op");
        }
        final long result = invoke(op);
        domain.increment(DomainCounter.HYPERCALLS);
        if (!ctx.isDeferred())
        {
            if (result < 0)
            {
                domain.increment(DomainCounter.HYPERCALL_ERRORS);
            }
            if (!ctx.isUnanswered())
            {
                respond(domain, vcpu, op, ctx.completeResponse(result), ctx.responseLength());
            }
            listener.onHypercall(domain, vcpu, op, ctx.cmd(), result, services.clock().nanoTime() - startNs);
        }
        if (ctx.malformedReason() != null)
        {
            fault(domain, op, DomainCounter.MALFORMED, HypercallOp.name(op) + ": " + ctx.malformedReason());
        }
    }

    private long invoke(final int op)
    {
        final OpHandler handler = op >= 0 && op < ops.length ? ops[op] : null;
        if (handler == null)
        {
            return ctx.malformed("unknown hypercall " + op, -Errno.ENOSYS);
        }
        return handler.handle(ctx);
    }

    private void respond(final Domain domain, final int vcpu, final int op, final DirectBuffer response, final int length)
    {
        final OfferResult result = domain.response(vcpu).offer(op, response, 0, length);
        if (result != OfferResult.ACCEPTED)
        {
            fault(domain, op, DomainCounter.RESPONSES_DROPPED, "response to vcpu " + vcpu + " dropped: " + result);
        }
    }

    private void fault(final Domain domain, final int op, final DomainCounter counter, final String reason)
    {
        domain.increment(counter);
        faults.onGuestFault(domain, op, reason);
        final long total = domain.counter(DomainCounter.MALFORMED) + domain.counter(DomainCounter.RESPONSES_DROPPED);
        if (total > settings.faultThreshold() && domain.shutdownCode() == Domain.NO_SHUTDOWN && !domain.isDying())
        {
            final String why = total + " guest faults (threshold " + settings.faultThreshold() + "); last: " + reason;
            services.control().shutdown(domain, SchedOpDescriptor.SHUTDOWN_CRASH, why);
            faults.onCrashed(domain, why);
        }
    }

    private void onTimer(final TimerQueue.Timer timer, final long nowNs)
    {
        switch (timer.kind())
        {
            case SINGLESHOT, PERIODIC -> vcpuOps.onTimer(timer, nowNs);
            case POLL_TIMEOUT -> sched.onPollTimeout(timer);
            case WATCHDOG -> sched.watchdogs().onExpired(timer);
        }
    }

    private void heartbeat(final long nowNs)
    {
        if (nowNs - lastHeartbeatNs >= settings.heartbeatIntervalNs())
        {
            lastHeartbeatNs = nowNs;
            final long nowMs = epochClock.time();
            for (final Domain domain : services.domains().guests())
            {
                domain.heartbeat(nowMs);
            }
        }
    }
}
