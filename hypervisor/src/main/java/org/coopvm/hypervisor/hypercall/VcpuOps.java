package org.coopvm.hypervisor.hypercall;

import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.Vcpu;
import org.coopvm.rings.domain.Runstate;
import org.coopvm.rings.domain.VcpuInfoDescriptor;
import org.coopvm.rings.hypercall.EventChannelOpDescriptor;

import static org.coopvm.rings.hypercall.Errno.*;
import static org.coopvm.rings.hypercall.VcpuOpDescriptor.*;

/**
 * vcpu_op: up, down, is_up, runstate info, and the singleshot and periodic timers that raise
 * VIRQ_TIMER on the target vCPU.
 *
 * <p>Thread safety: the dispatcher thread.
 */
final class VcpuOps
{
    private final HypercallServices services;
    private final Runstate.RunstateSnapshot snapshot = new Runstate.RunstateSnapshot();

    VcpuOps(final HypercallServices services)
    {
        this.services = services;
    }

    OpHandler table()
    {
        return CommandTable.builder("vcpu_op")
            .on(VCPUOP_UP, 4, ctx -> withTarget(ctx, this::up))
            .on(VCPUOP_DOWN, 4, ctx -> withTarget(ctx, this::down))
            .on(VCPUOP_IS_UP, 4, ctx -> withTarget(ctx, (c, v) -> v.isOnline() ? 1 : 0))
            .on(VCPUOP_GET_RUNSTATE_INFO, 4, ctx -> withTarget(ctx, this::runstateInfo))
            .on(VCPUOP_SET_PERIODIC_TIMER, 12, ctx -> withTarget(ctx, this::setPeriodic))
            .on(VCPUOP_STOP_PERIODIC_TIMER, 4, ctx -> withTarget(ctx, (c, v) -> stopPeriodic(v)))
            .on(VCPUOP_SET_SINGLESHOT_TIMER, 16, ctx -> withTarget(ctx, this::setSingleshot))
            .on(VCPUOP_STOP_SINGLESHOT_TIMER, 4, ctx -> withTarget(ctx, (c, v) -> stopSingleshot(v)))
            .build();
    }

    /** A timer of a vCPU expired: raise VIRQ_TIMER, and re-arm a periodic one. */
    void onTimer(final TimerQueue.Timer timer, final long nowNs)
    {
        final Vcpu vcpu = timer.domain().vcpu(timer.index());
        final boolean periodic = timer.kind() == TimerQueue.Kind.PERIODIC;
        if (timer.generation() != (periodic ? vcpu.periodicGeneration() : vcpu.singleshotGeneration()))
        {
            return;
        }
        services.events().raiseVirq(timer.domain(), EventChannelOpDescriptor.VIRQ_TIMER, timer.index());
        if (periodic)
        {
            final long next = timer.deadlineNs() + vcpu.periodNs();
            services.timers().schedule(next - nowNs > 0 ? next : nowNs + vcpu.periodNs(),
                TimerQueue.Kind.PERIODIC, timer.domain(), timer.index(), timer.generation());
        }
    }

    private long up(final HypercallContext ctx, final Vcpu vcpu)
    {
        return setOnline(ctx, vcpu, true);
    }

    private long down(final HypercallContext ctx, final Vcpu vcpu)
    {
        return setOnline(ctx, vcpu, false);
    }

    private long setOnline(final HypercallContext ctx, final Vcpu vcpu, final boolean online)
    {
        if (vcpu.isOnline() != online)
        {
            ctx.domain().setOnline(vcpu.id(), online);
            services.cpu().vcpuOnline(ctx.domain(), vcpu.id(), online);
        }
        return 0;
    }

    private long runstateInfo(final HypercallContext ctx, final Vcpu vcpu)
    {
        services.cpu().runstate(ctx.domain(), vcpu.id(), snapshot);
        ctx.outInt(RUNSTATE_STATE_OUT_OFFSET, snapshot.state);
        ctx.outLong(RUNSTATE_ENTRY_TIME_OUT_OFFSET, snapshot.entryTimeNs);
        for (int state = 0; state < VcpuInfoDescriptor.RUNSTATE_COUNT; state++)
        {
            ctx.outLong(RUNSTATE_TIME_OUT_OFFSET + state * 8, snapshot.timesNs[state]);
        }
        return 0;
    }

    private long setPeriodic(final HypercallContext ctx, final Vcpu vcpu)
    {
        final long periodNs = ctx.request().argLong(PERIOD_NS_OFFSET);
        if (periodNs < MIN_PERIOD_NS)
        {
            return -EINVAL;
        }
        final long generation = vcpu.nextPeriodicGeneration(periodNs);
        services.timers().schedule(services.clock().nanoTime() + periodNs, TimerQueue.Kind.PERIODIC, ctx.domain(), vcpu.id(), generation);
        return 0;
    }

    private static long stopPeriodic(final Vcpu vcpu)
    {
        vcpu.nextPeriodicGeneration(0);
        return 0;
    }

    private long setSingleshot(final HypercallContext ctx, final Vcpu vcpu)
    {
        final long deadlineNs = ctx.request().argLong(SINGLESHOT_DEADLINE_OFFSET);
        services.timers().schedule(deadlineNs, TimerQueue.Kind.SINGLESHOT, ctx.domain(), vcpu.id(), vcpu.nextSingleshotGeneration());
        return 0;
    }

    private static long stopSingleshot(final Vcpu vcpu)
    {
        vcpu.nextSingleshotGeneration();
        return 0;
    }

    private static long withTarget(final HypercallContext ctx, final TargetHandler handler)
    {
        final Domain domain = ctx.domain();
        final int target = ctx.request().argInt(TARGET_VCPU_OFFSET);
        if (!domain.isValidVcpu(target))
        {
            return -ENOENT;
        }
        return handler.handle(ctx, domain.vcpu(target));
    }

    @FunctionalInterface
    private interface TargetHandler
    {
        long handle(HypercallContext ctx, Vcpu vcpu);
    }
}
