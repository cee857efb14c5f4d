package org.coopvm.guest.coop;

import org.coopvm.rings.usage.DomainUsage;
import org.coopvm.rings.usage.UsageEntryDescriptor;
import org.coopvm.rings.usage.UsageSnapshot;

/**
 * {@code polite-batch}: a batch guest that gives the CPU back early when other domains starve.
 * Meant for throughput work that can wait (builds, analytics, {@code cpu-burn}) sharing CPU slots
 * with guests that cannot.
 *
 * <p>Every period it reads each other domain's steal growth on the usage page (runnable + offline
 * time of its vCPUs, as a fraction of the time between two publishes, {@link StealRates}). A domain
 * <b>starves</b> when that growth is at least {@code steal_high} while it wants CPU (it has runnable
 * vCPUs, or used CPU in the period) and is neither paused, shut down nor dying. Then the guest
 * <b>yields</b>: it limits its own vCPUs to {@code share} of every {@code limit_period_ms}
 * ({@link CooperationContext#limitCpu}, Linux's {@code cpu.max}): past that each vCPU gives its slot
 * back and rests, blocked (so it is neither runnable nor stealing), until its period ends. It keeps
 * the limit while some other domain's steal still grows by {@code steal_low} or more, and lifts it
 * after {@code calm_periods} periods in a row below that (hysteresis: it does not flip every period).
 *
 * <p>Thread safety: the cooperation task's thread; {@link #lastDecision()} from any thread.
 */
public final class PoliteBatchPolicy implements CooperationPolicy
{
    /** Its name. */
    public static final String NAME = "polite-batch";

    private final StealRates rates = new StealRates();
    private double stealHigh;
    private double stealLow;
    private double share;
    private long limitPeriodMs;
    private long calmPeriods;
    private boolean polite;
    private long calm;
    private volatile CpuPolicyDecision<Kind> last = new CpuPolicyDecision<>(Kind.WAIT, 1.0, "not run yet");

    /** What a period decided. */
    public enum Kind
    {
        /** Too early to tell: no two usage pages yet. */
        WAIT,
        /** Nobody starves: no limit. */
        CONTENT,
        /** Another domain starves: the limit is set. */
        YIELD,
        /** The limit stays: still contended, or not calm long enough. */
        HOLD,
        /** Calm for long enough: the limit is lifted. */
        RESUME
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public String description()
    {
        return "a batch guest that limits its own CPU use while other domains starve (their steal grows) and lifts it once calm";
    }

    @Override
    public void configure(final CooperationArgs args)
    {
        stealHigh = args.decimal("steal_high", 0.20, 0.01, 32.0,
            "another domain starves when its steal grows by this fraction of the period while it wants CPU");
        stealLow = args.decimal("steal_low", 0.05, 0.0, 32.0,
            "the limit stays while another domain's steal grows by at least this fraction of the period");
        share = args.decimal("share", 0.25, 0.01, 0.99, "fraction of each limit period the guest's vCPUs run while others starve");
        limitPeriodMs = args.integer("limit_period_ms", 100, 10, 10_000, "the period of that limit, ms");
        calmPeriods = args.integer("calm_periods", 3, 1, 1000, "periods in a row without contention before the limit is lifted");
        if (!(stealLow < stealHigh))
        {
            throw new CooperationConfigException("steal_low", "need steal_low < steal_high, got " + stealLow + " and " + stealHigh);
        }
    }

    @Override
    public void onUsage(final UsageSnapshot usage, final CooperationContext ctx)
    {
        if (!rates.update(usage))
        {
            return; // the same page again: nothing new
        }
        final CpuPolicyDecision<Kind> decision = decide(usage, ctx.domid());
        if (decision.kind() == Kind.YIELD)
        {
            ctx.limitCpu(share, limitPeriodMs);
        }
        else if (decision.kind() == Kind.RESUME)
        {
            ctx.limitCpu(1.0, limitPeriodMs);
        }
        if (decision.kind() == Kind.YIELD || decision.kind() == Kind.RESUME)
        {
            ctx.log(decision.kind().name().toLowerCase() + ": " + decision.why());
        }
        last = decision;
    }

    /** @return the last period's decision. */
    public CpuPolicyDecision<Kind> lastDecision()
    {
        return last;
    }

    private CpuPolicyDecision<Kind> decide(final UsageSnapshot usage, final int self)
    {
        if (!rates.measured())
        {
            return new CpuPolicyDecision<>(Kind.WAIT, 1.0, "one usage page so far: no steal growth yet");
        }
        final Contender worst = worstContender(usage, self);
        final double rate = worst == null ? 0 : worst.rate();
        if (!polite)
        {
            if (rate >= stealHigh)
            {
                polite = true;
                calm = 0;
                return new CpuPolicyDecision<>(Kind.YIELD, share, worst + " at or above steal_high " + stealHigh + ": running " +
                    share + " of every " + limitPeriodMs + " ms");
            }
            return new CpuPolicyDecision<>(Kind.CONTENT, 1.0,
                worst == null ? "no other domain wants CPU" : worst + ", below steal_high " + stealHigh);
        }
        if (rate >= stealLow)
        {
            calm = 0;
            return new CpuPolicyDecision<>(Kind.HOLD, share, worst + ", at or above steal_low " + stealLow);
        }
        if (++calm >= calmPeriods)
        {
            polite = false;
            return new CpuPolicyDecision<>(Kind.RESUME, 1.0, "no other domain's steal grew by " + stealLow + " or more for " + calm +
                " periods");
        }
        return new CpuPolicyDecision<>(Kind.HOLD, share, "calm for " + calm + " of " + calmPeriods + " periods");
    }

    /** @return the other domain wanting CPU whose steal grew most, null when none has a rate. */
    private Contender worstContender(final UsageSnapshot usage, final int self)
    {
        Contender worst = null;
        for (final DomainUsage domain : usage.domains())
        {
            final double rate = rates.of(domain.domid());
            if (domain.domid() != self && rate >= 0 && wantsCpu(domain) && (worst == null || rate > worst.rate()))
            {
                worst = new Contender(domain, rate);
            }
        }
        return worst;
    }

    /** A domain that wants CPU: runnable vCPUs now or CPU used in the period, and not paused, shut down or dying. */
    private static boolean wantsCpu(final DomainUsage domain)
    {
        final int held = UsageEntryDescriptor.FLAG_PAUSED | UsageEntryDescriptor.FLAG_SHUTDOWN | UsageEntryDescriptor.FLAG_DYING;
        return (domain.flags() & held) == 0 && (domain.cpu().runnableVcpus() > 0 || domain.cpu().usagePermille() > 0);
    }

    /** Another domain and how fast its steal grew. */
    private record Contender(DomainUsage domain, double rate)
    {
        @Override
        public String toString()
        {
            return "domain " + domain.domid() + " steal " + Math.round(rate * 1000) / 10.0 + "% of the period (" +
                domain.cpu().runnableVcpus() + " runnable vCPUs, using " + domain.cpu().usagePermille() / 10.0 + "% of a CPU)";
        }
    }
}
