package org.coopvm.cli.toolstack;

import org.coopvm.balloon.engine.DecisionListener;
import org.coopvm.balloon.engine.DecisionRecord;
import org.coopvm.balloon.host.ConvergenceListener;
import org.coopvm.hypervisor.api.ConvergenceReport;
import org.coopvm.hypervisor.api.ShutdownReason;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainCounter;
import org.coopvm.hypervisor.domain.DomainFaultListener;
import org.coopvm.hypervisor.domain.DomainLifecycleListener;
import org.coopvm.hypervisor.domain.DomainStatus;
import org.coopvm.hypervisor.hypercall.HypercallListener;
import org.coopvm.hypervisor.memory.Reservations;
import org.coopvm.hypervisor.sched.SchedParams;
import org.coopvm.hypervisor.sched.SchedulerSettings;
import org.coopvm.hypervisor.sched.runtime.SchedListener;
import org.coopvm.hypervisor.trace.Tracer;
import org.coopvm.rings.hypercall.HypercallOp;

/**
 * Writes the hypervisor's lifecycle changes, reservation calls, guest faults and (at level
 * HYPERCALLS) hypercalls to the host's trace, the balloon's policy decisions (repeats of a
 * domain's previous decision left out, as in the engine's history) and convergence reports, and the
 * CPU scheduler's enforcement (overruns, suspensions with their reason, resumptions), live changes
 * of its parameters (old -> new, and who changed them) and the slices guests ask for.
 *
 * <p>Threading: called under the hypervisor lock (dispatcher or toolstack threads), on the
 * balloon's engine and tracker threads, or under the CPU scheduler's lock; the tracer is thread safe. Hypercall records use constant
 * strings only (no allocation per call).
 */
final class TraceListeners implements DomainLifecycleListener, DomainFaultListener, HypercallListener, DecisionListener,
    ConvergenceListener, SchedListener
{
    private static final String[] COMMANDS = new String[64];

    static
    {
        for (int cmd = 0; cmd < COMMANDS.length; cmd++)
        {
            COMMANDS[cmd] = Integer.toString(cmd);
        }
    }

    private final Tracer tracer;

    TraceListeners(final Tracer tracer)
    {
        this.tracer = tracer;
    }

    @Override
    public void onCreated(final Domain domain)
    {
        tracer.domainCreated(domain.domid());
    }

    @Override
    public void onStateChanged(final Domain domain, final DomainStatus from, final DomainStatus to)
    {
        if (to == DomainStatus.PAUSED)
        {
            tracer.domainPaused(domain.domid());
        }
        else if (from == DomainStatus.PAUSED && to == DomainStatus.RUNNING)
        {
            tracer.domainUnpaused(domain.domid());
        }
    }

    @Override
    public void onShutdown(final Domain domain)
    {
        final String reason = ShutdownReason.fromCode(domain.shutdownCode()).name().toLowerCase();
        tracer.domainShutdown(domain.domid(), reason + ": " + domain.shutdownDetail());
    }

    @Override
    public void onDestroyed(final Domain domain)
    {
        tracer.domainDestroyed(domain.domid());
    }

    @Override
    public void onReservation(final Domain domain, final int cmd, final long nrExtents, final int order, final long result)
    {
        tracer.memory(domain.domid(), Reservations.commandName(cmd), nrExtents, order, result,
            domain.memory().physmap().populatedPages());
    }

    @Override
    public void onGuestFault(final Domain domain, final int op, final String reason)
    {
        tracer.guestFault(domain.domid(), reason, domain.counter(DomainCounter.MALFORMED));
    }

    @Override
    public void onCrashed(final Domain domain, final String reason)
    {
        tracer.domainCrashed(domain.domid(), reason);
    }

    @Override
    public void onHypercall(final Domain domain, final int vcpu, final int op, final int cmd, final long result, final long serviceNs)
    {
        tracer.hypercall(domain.domid(), vcpu, HypercallOp.name(op), cmd >= 0 && cmd < COMMANDS.length ? COMMANDS[cmd] : "?",
            (int)Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, result)), serviceNs);
    }

    @Override
    public void onDecision(final DecisionRecord record)
    {
        if (!record.repeat())
        {
            tracer.balloonDecision(record.domid(), record.policy(), record.reason().name(), record.currentKib(),
                record.previousTargetKib(), record.proposedKib(), record.targetKib(), record.applied(), record.detail());
        }
    }

    @Override
    public void onReport(final ConvergenceReport report)
    {
        final String detail = report.requestedKib() < 0 ? "requested \"" + report.requested() + "\": " + report.detail() : report.detail();
        tracer.balloonReport(report.domid(), report.outcome().wireName(), report.requestedKib(), report.effectiveKib(),
            report.startKib(), report.currentKib(), report.elapsedMs(), detail);
    }

    @Override
    public void onOverrun(final int domid, final int vcpu, final long overNs, final int recent)
    {
        tracer.sched(domid, vcpu, "overrun", overNs, recent, "");
    }

    @Override
    public void onSuspended(final int domid, final int vcpu, final long penaltyNs, final int overruns, final String reason)
    {
        tracer.sched(domid, vcpu, "suspended", penaltyNs, overruns, reason);
    }

    @Override
    public void onResumed(final int domid)
    {
        tracer.sched(domid, -1, "resumed", 0, 0, "penalty over");
    }

    @Override
    public void onAdjusted(final int domid, final SchedParams before, final SchedParams after, final String by)
    {
        tracer.sched(domid, -1, "adjusted", 0, 0, "weight " + change(before.weight(), after.weight(), "") +
            ", cap " + change(before.capPercent(), after.capPercent(), "") +
            ", slice " + change(slice(before.sliceMs()), slice(after.sliceMs())) + by(by));
    }

    @Override
    public void onSettingsAdjusted(final SchedulerSettings before, final SchedulerSettings after, final String by)
    {
        tracer.sched(0, -1, "settings", 0, 0, "tslice " + change(before.sliceMs(), after.sliceMs(), " ms") +
            ", ratelimit " + change(before.rateLimitUs(), after.rateLimitUs(), " us") + by(by));
    }

    /** @return {@code "256"} when unchanged, else {@code "256 -> 512"}, then the unit. */
    private static String change(final long before, final long after, final String unit)
    {
        return change(Long.toString(before), Long.toString(after)) + unit;
    }

    private static String change(final String before, final String after)
    {
        return before.equals(after) ? before : before + " -> " + after;
    }

    private static String slice(final int sliceMs)
    {
        return sliceMs == SchedParams.HOST_SLICE ? "host" : sliceMs + " ms";
    }

    private static String by(final String who)
    {
        return who.isEmpty() ? "" : " by " + who;
    }

    @Override
    public void onSliceRequest(final int domid, final int vcpu, final int requestedMs, final int effectiveMs, final int configuredMs)
    {
        tracer.sched(domid, vcpu, "slice", effectiveMs * 1_000_000L, 0, requestedMs == 0 ?
            "the guest went back to its configured " + configuredMs + " ms slice" :
            "the guest asked for a " + requestedMs + " ms slice (configured " + configuredMs + " ms)");
    }
}
