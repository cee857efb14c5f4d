package org.coopvm.balloon.engine;

import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.coopvm.balloon.policy.BalloonDecision;
import org.coopvm.balloon.policy.BalloonPolicy;
import org.coopvm.balloon.policy.BalloonSnapshot;
import org.coopvm.balloon.policy.DecisionReason;
import org.coopvm.balloon.policy.DomainView;
import org.coopvm.balloon.policy.PolicyCatalog;
import org.coopvm.balloon.policy.PolicySelection;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The host's balloon policy engine, an {@link Agent}: when the active policy's period has
 * elapsed (by the injected clock), it takes a {@link BalloonSnapshot} from the
 * {@link SnapshotSource}, asks the policy for decisions, clamps them ({@link TargetClamp}),
 * applies changed targets through the {@link TargetSink}, and records every decision in a
 * bounded {@link DecisionHistory} and through the {@link DecisionListener}. Between rounds
 * {@link #doWork()} does nothing and returns 0, so an idle strategy can sleep
 * ({@link #nanosUntilNextRound()} says how long).
 *
 * <p>The first round runs at the first {@link #doWork()}, later rounds a period after the start of
 * the previous one. A policy that throws keeps every target ({@link DecisionReason#POLICY_FAILED});
 * a snapshot source that throws skips the round; a sink or listener that throws is counted. None
 * stops the engine.
 *
 * <p>Threading: {@link #doWork()} on the agent's thread only (the policy, source, sink and
 * listener are only called there). {@link #setPolicy}, {@link #policy()}, {@link #history()},
 * {@link #lastDecision} and the counters from any thread: a new policy is validated on the
 * caller's thread and takes effect at the agent's next duty cycle, which then runs a round.
 */
public final class BalloonEngine implements Agent
{
    /** Default number of decisions kept for the API. */
    public static final int DEFAULT_HISTORY_CAPACITY = 4096;

    private final PolicyCatalog catalog;
    private final SnapshotSource source;
    private final TargetSink sink;
    private final DecisionListener listener;
    private final NanoClock clock;
    private final DecisionHistory history;
    private final AtomicReference<Active> pending = new AtomicReference<>();
    private final Int2ObjectHashMap<DecisionRecord> lastByDomain = new Int2ObjectHashMap<>();
    private final AtomicLong rounds = new AtomicLong();
    private final AtomicLong targetsApplied = new AtomicLong();
    private final AtomicLong clamps = new AtomicLong();
    private final AtomicLong droppedDecisions = new AtomicLong();
    private final AtomicLong policyFailures = new AtomicLong();
    private final AtomicLong sourceFailures = new AtomicLong();
    private final AtomicLong sinkFailures = new AtomicLong();
    private final AtomicLong listenerFailures = new AtomicLong();
    private volatile PolicySelection selection;
    private volatile long nextRoundNs;
    private volatile boolean started;
    private volatile String lastError = "";
    private Active active;

    /**
     * @param catalog          the policies {@link #setPolicy} may choose from.
     * @param initial          the policy to run first.
     * @param source           where snapshots come from.
     * @param sink             how targets are applied.
     * @param listener         hears every decision ({@link DecisionListener#NONE} for none).
     * @param clock            the engine's clock.
     * @param historyCapacity  decisions kept for {@link #history()}.
     */
    public BalloonEngine(final PolicyCatalog catalog, final PolicySelection initial, final SnapshotSource source,
        final TargetSink sink, final DecisionListener listener, final NanoClock clock, final int historyCapacity)
    {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.source = Objects.requireNonNull(source, "source");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.history = new DecisionHistory(historyCapacity);
        this.active = new Active(initial, initial.newPolicy());
        this.selection = initial;
    }

    /**
     * Switch policy ({@code coop balloon-policy set NAME key=value...}). Validated here; takes
     * effect at the next duty cycle, with fresh policy state, and runs a round at once.
     *
     * @param name      the policy's name.
     * @param arguments {@code key=value} parameters.
     * @return the validated selection.
     * @throws org.coopvm.balloon.policy.PolicyConfigException naming the policy or key at fault;
     * the running policy is unchanged.
     */
    public PolicySelection setPolicy(final String name, final List<String> arguments)
    {
        final PolicySelection next = catalog.select(name, arguments);
        synchronized (pending)
        {
            pending.set(new Active(next, next.newPolicy()));
            selection = next;
        }
        return next;
    }

    /** @return the policy most recently chosen (running, or taking effect at the next duty cycle). */
    public PolicySelection policy()
    {
        return selection;
    }

    @Override
    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        int work = switchPolicy(nowNs);
        if (!started)
        {
            started = true;
            nextRoundNs = nowNs;
        }
        if (nowNs - nextRoundNs < 0)
        {
            return work;
        }
        nextRoundNs = nowNs + TimeUnit.MILLISECONDS.toNanos(active.selection().periodMs());
        runRound(nowNs);
        return work + 1;
    }

    @Override
    public String roleName()
    {
        return "balloon-engine";
    }

    /** @return nanoseconds until the next round is due (0 when due now). */
    public long nanosUntilNextRound()
    {
        return started && pending.get() == null ? Math.max(0, nextRoundNs - clock.nanoTime()) : 0;
    }

    /** @return the decisions kept, oldest first (repeats left out). */
    public List<DecisionRecord> history()
    {
        return history.records();
    }

    /**
     * @param domid a domain.
     * @return its decisions kept, oldest first.
     */
    public List<DecisionRecord> history(final int domid)
    {
        return history.records(domid);
    }

    /**
     * @param domid a domain.
     * @return its latest decision (repeats included), or null when none was made for it.
     */
    public DecisionRecord lastDecision(final int domid)
    {
        synchronized (lastByDomain)
        {
            return lastByDomain.get(domid);
        }
    }

    /** @return rounds run (including ones whose policy failed, not ones whose snapshot failed). */
    public long rounds()
    {
        return rounds.get();
    }

    /** @return targets changed through the sink. */
    public long targetsApplied()
    {
        return targetsApplied.get();
    }

    /** @return decisions whose target the engine clamped. */
    public long clamps()
    {
        return clamps.get();
    }

    /** @return decisions dropped: for a domain not in the snapshot, or a second one for a domain. */
    public long droppedDecisions()
    {
        return droppedDecisions.get();
    }

    /** @return rounds whose policy threw or returned null. */
    public long policyFailures()
    {
        return policyFailures.get();
    }

    /** @return rounds skipped because the snapshot source threw or returned null. */
    public long sourceFailures()
    {
        return sourceFailures.get();
    }

    /** @return targets the sink refused or threw on. */
    public long sinkFailures()
    {
        return sinkFailures.get();
    }

    /** @return exceptions the listener threw. */
    public long listenerFailures()
    {
        return listenerFailures.get();
    }

    /** @return the last failure's description (source, policy or sink), or empty. */
    public String lastError()
    {
        return lastError;
    }

    private int switchPolicy(final long nowNs)
    {
        final Active next = pending.getAndSet(null);
        if (next == null)
        {
            return 0;
        }
        final PolicySelection previous = active.selection();
        active = next;
        started = true;
        nextRoundNs = nowNs;
        try
        {
            listener.onPolicyChanged(previous, next.selection());
        }
        catch (final RuntimeException ex)
        {
            listenerFailures.incrementAndGet();
        }
        return 1;
    }

    private void runRound(final long nowNs)
    {
        final BalloonSnapshot snapshot = snapshot(nowNs);
        if (snapshot == null)
        {
            return;
        }
        final long round = rounds.incrementAndGet();
        final TargetClamp.Result result = TargetClamp.clamp(snapshot, decide(snapshot), active.policy().growsOnGuestStats());
        droppedDecisions.addAndGet(result.dropped());
        final List<DecisionRecord> records = new ArrayList<>(result.outcomes().size());
        for (final TargetClamp.Outcome outcome : result.outcomes())
        {
            records.add(record(round, nowNs, outcome));
        }
        remember(records);
        for (final DecisionRecord record : records)
        {
            publish(record);
        }
    }

    private BalloonSnapshot snapshot(final long nowNs)
    {
        try
        {
            final BalloonSnapshot snapshot = source.snapshot(nowNs);
            if (snapshot == null)
            {
                fail(sourceFailures, "snapshot source returned null");
            }
            return snapshot;
        }
        catch (final RuntimeException ex)
        {
            fail(sourceFailures, "snapshot source failed: " + ex);
            return null;
        }
    }

    private List<BalloonDecision> decide(final BalloonSnapshot snapshot)
    {
        String failure;
        try
        {
            final List<BalloonDecision> decisions = active.policy().decide(snapshot);
            if (decisions != null)
            {
                return decisions;
            }
            failure = "returned null";
        }
        catch (final RuntimeException ex)
        {
            failure = "threw " + ex;
        }
        fail(policyFailures, "policy " + active.selection().name() + " " + failure);
        final List<BalloonDecision> kept = new ArrayList<>(snapshot.domains().size());
        for (final DomainView view : snapshot.domains())
        {
            kept.add(BalloonDecision.keep(view, DecisionReason.POLICY_FAILED, "policy " + failure + ": target kept"));
        }
        return kept;
    }

    private DecisionRecord record(final long round, final long nowNs, final TargetClamp.Outcome outcome)
    {
        final DomainView view = outcome.view();
        final boolean changed = outcome.targetKib() != view.targetKib();
        final boolean applied = changed && apply(view.domid(), outcome.targetKib());
        final DecisionRecord last = lastDecision(view.domid());
        final boolean repeat = !changed && last != null && last.targetKib() == outcome.targetKib() &&
            last.reason() == outcome.reason() && last.policy().equals(active.selection().name());
        if (outcome.reason() != outcome.policyReason())
        {
            clamps.incrementAndGet();
        }
        return new DecisionRecord(round, nowNs, active.selection().name(), view.domid(), view.name(), view.currentKib(),
            view.targetKib(), outcome.proposedKib(), outcome.targetKib(), outcome.reason(), outcome.policyReason(),
            outcome.detail(), applied, repeat);
    }

    private boolean apply(final int domid, final long targetKib)
    {
        try
        {
            if (sink.applyTarget(domid, targetKib))
            {
                targetsApplied.incrementAndGet();
                return true;
            }
            fail(sinkFailures, "target sink refused dom" + domid + " " + targetKib + " KiB");
        }
        catch (final RuntimeException ex)
        {
            fail(sinkFailures, "target sink failed for dom" + domid + ": " + ex);
        }
        return false;
    }

    /** The latest record per domain present this round; gone domains are forgotten. */
    private void remember(final List<DecisionRecord> records)
    {
        synchronized (lastByDomain)
        {
            lastByDomain.clear();
            for (final DecisionRecord record : records)
            {
                lastByDomain.put(record.domid(), record);
            }
        }
    }

    private void publish(final DecisionRecord record)
    {
        if (!record.repeat())
        {
            history.add(record);
        }
        try
        {
            listener.onDecision(record);
        }
        catch (final RuntimeException ex)
        {
            listenerFailures.incrementAndGet();
        }
    }

    private void fail(final AtomicLong counter, final String error)
    {
        counter.incrementAndGet();
        lastError = error;
    }

    private record Active(PolicySelection selection, BalloonPolicy policy)
    {
    }
}
