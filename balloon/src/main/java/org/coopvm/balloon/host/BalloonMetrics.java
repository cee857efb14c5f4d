package org.coopvm.balloon.host;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.coopvm.balloon.engine.DecisionListener;
import org.coopvm.balloon.engine.DecisionRecord;
import org.coopvm.balloon.policy.DecisionReason;
import org.coopvm.hypervisor.api.ConvergenceOutcome;
import org.coopvm.hypervisor.api.ConvergenceReport;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The balloon's metrics:
 * <ul>
 *   <li>{@code coop.balloon.reports} (counter; tag {@code outcome}: {@code reached},
 *       {@code above_maxmem}, ..., one series per outcome from the start) and
 *       {@code coop.balloon.convergence.time} (timer: from a target change to reaching it, for
 *       the reached outcomes);</li>
 *   <li>{@code coop.balloon.convergence.tracking} (gauge: changes being tracked now);</li>
 *   <li>{@code coop.balloon.decisions} (counter; tag {@code reason}: the engine's decisions,
 *       repeats left out, as in the trace), {@code coop.balloon.rounds} and
 *       {@code coop.balloon.targets.applied} (function counters over the engine).</li>
 * </ul>
 *
 * <p>Threading: {@link #onReport} on the tracker's thread, {@link #onDecision} on the engine's;
 * {@link #bind} once, before any scrape.
 */
public final class BalloonMetrics implements DecisionListener, ConvergenceListener
{
    private final MeterRegistry registry;
    private final Map<ConvergenceOutcome, Counter> reports = new EnumMap<>(ConvergenceOutcome.class);
    private final Map<DecisionReason, Counter> decisions = new ConcurrentHashMap<>();
    private final Timer convergenceTime;

    /** @param registry where to register the meters. */
    public BalloonMetrics(final MeterRegistry registry)
    {
        this.registry = registry;
        for (final ConvergenceOutcome outcome : ConvergenceOutcome.values())
        {
            reports.put(outcome, Counter.builder("coop.balloon.reports").description("convergence reports, by outcome")
                .tag("outcome", outcome.wireName()).register(registry));
        }
        this.convergenceTime = Timer.builder("coop.balloon.convergence.time")
            .description("from a change of memory/target to the domain reaching it").register(registry);
    }

    /**
     * Register the meters that read the running balloon. Call once.
     *
     * @param balloon the host's balloon.
     */
    public void bind(final HostBalloon balloon)
    {
        Gauge.builder("coop.balloon.convergence.tracking", balloon, b -> b.tracker().tracking())
            .description("changes of memory/target being tracked").register(registry);
        FunctionCounter.builder("coop.balloon.rounds", balloon, HostBalloon::rounds)
            .description("rounds of the balloon policy engine").register(registry);
        FunctionCounter.builder("coop.balloon.targets.applied", balloon, HostBalloon::targetsApplied)
            .description("targets the balloon policy engine wrote to memory/target").register(registry);
    }

    @Override
    public void onReport(final ConvergenceReport report)
    {
        reports.get(report.outcome()).increment();
        if (report.outcome().isReached())
        {
            convergenceTime.record(report.elapsedMs(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void onDecision(final DecisionRecord record)
    {
        if (!record.repeat())
        {
            decisions.computeIfAbsent(record.reason(), reason -> Counter.builder("coop.balloon.decisions")
                .description("balloon policy decisions, by reason").tag("reason", reason.name()).register(registry)).increment();
        }
    }
}
