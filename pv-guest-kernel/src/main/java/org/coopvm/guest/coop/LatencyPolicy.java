package org.coopvm.guest.coop;

import org.coopvm.rings.usage.DomainUsage;
import org.coopvm.rings.usage.UsageSnapshot;

/**
 * {@code latency}: a guest that declares itself latency-sensitive. At start it asks the host's
 * scheduler for a short time slice for its domain ({@code slice_ms}, through
 * {@code SCHEDOP_coop_slice}; at most the slice the toolstack configured, which it learns by asking
 * for 0 first), so its vCPUs run in short turns and, being mostly idle, keep the credit that earns
 * them BOOST on each wake. Then every period it watches its own steal on the usage page (how much
 * of the period its vCPUs waited for a slot): at {@code steal_warn} or more it says on its console
 * that it is starved, with the host's figures, and says so again once its steal is back below half
 * of that (hysteresis).
 *
 * <p>Thread safety: the cooperation task's thread; {@link #lastDecision()} and {@link #sliceMs()}
 * from any thread.
 */
public final class LatencyPolicy implements CooperationPolicy
{
    /** Its name. */
    public static final String NAME = "latency";

    private final StealRates rates = new StealRates();
    private int wantedSliceMs;
    private double stealWarn;
    private boolean starved;
    private volatile long sliceMs;
    private volatile CpuPolicyDecision<Kind> last = new CpuPolicyDecision<>(Kind.WAIT, -1, "not run yet");

    /** What a period found. */
    public enum Kind
    {
        /** Too early to tell: no two usage pages yet. */
        WAIT,
        /** Its steal is low. */
        FINE,
        /** Its steal reached {@code steal_warn}. */
        STARVED,
        /** Its steal fell back below half of {@code steal_warn}. */
        RECOVERED
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public String description()
    {
        return "a latency-sensitive guest: asks the host for a short slice and watches its own steal";
    }

    @Override
    public void configure(final CooperationArgs args)
    {
        wantedSliceMs = (int)args.integer("slice_ms", 2, 1, 1000, "the time slice it asks the host for, ms (at most the configured one)");
        stealWarn = args.decimal("steal_warn", 0.05, 0.001, 32.0,
            "own steal growth (fraction of the period) at which it says it is starved");
    }

    @Override
    public void start(final CooperationContext ctx)
    {
        final long configuredMs = ctx.requestSliceMs(0);
        if (configuredMs <= 0)
        {
            sliceMs = configuredMs;
            ctx.log("latency-sensitive, but the host refused a slice request (" + configuredMs + ")");
            return;
        }
        final int askMs = (int)Math.min(wantedSliceMs, configuredMs);
        sliceMs = ctx.requestSliceMs(askMs);
        ctx.log("latency-sensitive: slice " + sliceMs + " ms (asked " + wantedSliceMs + " ms, configured " + configuredMs + " ms)");
    }

    @Override
    public void onUsage(final UsageSnapshot usage, final CooperationContext ctx)
    {
        if (!rates.update(usage))
        {
            return;
        }
        final CpuPolicyDecision<Kind> decision = decide(usage, ctx.domid());
        if ((decision.kind() == Kind.STARVED || decision.kind() == Kind.RECOVERED) && decision.kind() != last.kind())
        {
            ctx.log(decision.kind().name().toLowerCase() + ": " + decision.why());
        }
        last = decision;
    }

    /** @return the last period's finding. */
    public CpuPolicyDecision<Kind> lastDecision()
    {
        return last;
    }

    /** @return the slice its domain runs with since start, ms; minus an errno when refused; 0 before start. */
    public long sliceMs()
    {
        return sliceMs;
    }

    private CpuPolicyDecision<Kind> decide(final UsageSnapshot usage, final int self)
    {
        final double rate = rates.of(self);
        final DomainUsage own = usage.domain(self).orElse(null);
        if (!rates.measured() || rate < 0 || own == null)
        {
            return new CpuPolicyDecision<>(Kind.WAIT, rate, "no steal growth of its own yet");
        }
        final String why = "steal " + percent(rate) + "% of the period, " + own.cpu().runnableVcpus() + " runnable vCPUs, using " +
            own.cpu().usagePermille() / 10.0 + "% of a CPU, priority " + own.cpu().bestPriority() + ".." + own.cpu().worstPriority() +
            ", host load " + usage.host().cpuLoadPermille() / 10.0 + "% of " + usage.host().cpuSlots() + " slots";
        if (!starved && rate >= stealWarn)
        {
            starved = true;
            return new CpuPolicyDecision<>(Kind.STARVED, rate, why + " (steal_warn " + stealWarn + ")");
        }
        if (starved && rate < stealWarn / 2)
        {
            starved = false;
            return new CpuPolicyDecision<>(Kind.RECOVERED, rate, why);
        }
        return new CpuPolicyDecision<>(starved ? Kind.STARVED : Kind.FINE, rate, why);
    }

    private static double percent(final double fraction)
    {
        return Math.round(fraction * 1000) / 10.0;
    }
}
