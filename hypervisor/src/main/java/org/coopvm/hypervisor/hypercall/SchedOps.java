package org.coopvm.hypervisor.hypercall;

import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.Vcpu;
import org.coopvm.rings.domain.EventChannelBits;
import org.coopvm.rings.hypercall.HypercallRequest;

import static org.coopvm.rings.hypercall.Errno.*;
import static org.coopvm.rings.hypercall.SchedOpDescriptor.*;

/**
 * sched_op: yield and CoopVM's directed yield (remembered by the CPU scheduler until the vCPU
 * gives its slot back), CoopVM's slice request (a shorter slice for the caller's domain), block and poll (answered later, when an event is pending or the poll
 * times out; the CPU scheduler counts the vCPU blocked meanwhile), shutdown, and watchdogs (a
 * domain whose watchdog expires is shut down with reason watchdog).
 *
 * <p>Thread safety: the dispatcher thread (wake-ups may come from any thread holding the
 * hypervisor lock).
 */
final class SchedOps
{
    private final HypercallServices services;
    private final WaitAnswerer answerer;
    private final Watchdogs watchdogs;
    private final int[] pollPorts = new int[MAX_POLL_PORTS];

    SchedOps(final HypercallServices services, final WaitAnswerer answerer)
    {
        this.services = services;
        this.answerer = answerer;
        this.watchdogs = new Watchdogs(services);
    }

    OpHandler table()
    {
        return CommandTable.builder("sched_op")
            .on(SCHEDOP_YIELD, ctx -> services.cpu().yield(ctx.domain(), ctx.vcpu(), -1))
            .on(SCHEDOP_BLOCK, this::block)
            .on(SCHEDOP_SHUTDOWN, 4, this::shutdown)
            .on(SCHEDOP_POLL, POLL_PORTS_OFFSET, this::poll)
            .on(SCHEDOP_REMOTE_SHUTDOWN, ctx -> -EPERM)
            .on(SCHEDOP_WATCHDOG, 8, ctx -> watchdogs.command(ctx.domain(),
                ctx.request().argInt(WATCHDOG_ID_OFFSET), ctx.request().argInt(WATCHDOG_TIMEOUT_OFFSET)))
            .on(SCHEDOP_COOP_YIELD_TO, 4, ctx -> services.cpu().yield(ctx.domain(), ctx.vcpu(), ctx.request().argInt(YIELD_TO_VCPU_OFFSET)))
            .on(SCHEDOP_COOP_SLICE, 4, ctx -> services.cpu().requestSlice(ctx.domain(), ctx.vcpu(), ctx.request().argInt(SLICE_MS_OFFSET)))
            .build();
    }

    Watchdogs watchdogs()
    {
        return watchdogs;
    }

    /**
     * A port of {@code domain} became pending on {@code vcpu}: answer a block of that vCPU if its
     * upcall is pending, and a poll of any vCPU that waits for that port.
     */
    void onEventPending(final Domain domain, final int vcpu, final int port)
    {
        final EventChannelBits bits = domain.eventBits();
        for (int k = 0; k < domain.nrVcpus(); k++)
        {
            final Vcpu v = domain.vcpu(k);
            if (v.waitKind() != Vcpu.WAIT_NONE && (bits.isUpcallPending(k) || (v.waitKind() == Vcpu.WAIT_POLL && v.pollsPort(port))))
            {
                answerer.answerWait(domain, k, 0);
            }
        }
    }

    void onPollTimeout(final TimerQueue.Timer timer)
    {
        final Vcpu v = timer.domain().vcpu(timer.index());
        if (v.waitKind() == Vcpu.WAIT_POLL && v.waitGeneration() == timer.generation())
        {
            answerer.answerWait(timer.domain(), timer.index(), 0);
        }
    }

    private long block(final HypercallContext ctx)
    {
        final Domain domain = ctx.domain();
        final int vcpu = ctx.vcpu();
        domain.vcpu(vcpu).beginWait(Vcpu.WAIT_BLOCK, ctx.op(), ctx.request().callId());
        if (domain.eventBits().isUpcallPending(vcpu))
        {
            domain.vcpu(vcpu).endWait();
            return 0;
        }
        services.cpu().waitBegins(domain, vcpu);
        return ctx.defer();
    }

    private long shutdown(final HypercallContext ctx)
    {
        final int reason = ctx.request().argInt(SHUTDOWN_REASON_OFFSET);
        if (reason < SHUTDOWN_POWEROFF || reason > SHUTDOWN_WATCHDOG)
        {
            return -EINVAL;
        }
        services.control().shutdown(ctx.domain(), reason, "guest requested shutdown");
        return 0;
    }

    private long poll(final HypercallContext ctx)
    {
        final HypercallRequest request = ctx.request();
        final long timeoutNs = request.argLong(POLL_TIMEOUT_OFFSET);
        final int count = request.argInt(POLL_NR_PORTS_OFFSET);
        if (count < 0 || count > MAX_POLL_PORTS || (count == 0 && timeoutNs == 0))
        {
            return ctx.malformed("poll of " + Integer.toUnsignedString(count) + " ports");
        }
        if (!ctx.hasArgs(POLL_PORTS_OFFSET + count * 4))
        {
            return ctx.malformed("poll: message shorter than its " + count + " ports");
        }
        final Domain domain = ctx.domain();
        boolean pending = domain.eventBits().isUpcallPending(ctx.vcpu());
        for (int i = 0; i < count; i++)
        {
            final int port = request.argInt(POLL_PORTS_OFFSET + i * 4);
            if (!services.events().isValidPort(domain, port))
            {
                return -EINVAL;
            }
            pollPorts[i] = port;
            pending |= domain.eventBits().isPending(port);
        }
        if (pending || (timeoutNs != 0 && timeoutNs - services.clock().nanoTime() <= 0))
        {
            return 0;
        }
        final Vcpu vcpu = domain.vcpu(ctx.vcpu());
        final long generation = vcpu.beginWait(Vcpu.WAIT_POLL, ctx.op(), request.callId());
        vcpu.pollPorts(pollPorts, count);
        services.cpu().waitBegins(domain, ctx.vcpu());
        if (timeoutNs != 0)
        {
            services.timers().schedule(timeoutNs, TimerQueue.Kind.POLL_TIMEOUT, domain, ctx.vcpu(), generation);
        }
        return ctx.defer();
    }
}
