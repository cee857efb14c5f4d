package org.coopvm.balloon.host;

import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.status.AtomicCounter;
import org.coopvm.balloon.engine.BalloonEngine;
import org.coopvm.balloon.engine.DecisionListener;
import org.coopvm.balloon.engine.DecisionRecord;
import org.coopvm.balloon.engine.StatsHistoryRecorder;
import org.coopvm.balloon.policy.PolicyCatalog;
import org.coopvm.balloon.policy.PolicyConfigException;
import org.coopvm.balloon.policy.PolicySelection;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.api.BalloonDecisionInfo;
import org.coopvm.hypervisor.api.BalloonPolicyInfo;
import org.coopvm.hypervisor.config.ConvergenceConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.xenstore.XenstoredAccess;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntUnaryOperator;

/**
 * The balloon on a running host, as the toolstack runs it: the {@link ConvergenceTracker} on its
 * own thread ({@code balloon-convergence}), always; and the policy engine ({@link BalloonEngine},
 * thread {@code balloon-engine}) with a {@link HypervisorSnapshotSource} and a
 * {@link XenstoreTargetSink}, only while a policy is chosen. With no policy (the default, as in
 * Xen) targets change only by hand. Both threads sleep until their next deadline.
 *
 * <p>Thread safety: {@link #setPolicy}, {@link #policyInfo}, {@link #decisions} and
 * {@link #close} from any thread (this object's monitor); the agents run on their own threads.
 */
public final class HostBalloon implements AutoCloseable
{
    /** Stats samples kept per domain for the policies. */
    public static final int STATS_HISTORY = 64;

    private static final long MAX_PARK_NS = TimeUnit.SECONDS.toNanos(1);
    private static final String NO_POLICY = "targets change only by hand (coop mem-set, xenstore-write), as in Xen";

    private final Hypervisor hypervisor;
    private final PolicyCatalog catalog;
    private final NanoClock clock;
    private final EpochClock epochClock;
    private final DecisionListener decisions;
    private final XenstoredAccess xenstore;
    private final HypervisorSnapshotSource source;
    private final ConvergenceTracker tracker;
    private final DeadlineIdleStrategy trackerIdle;
    private final AgentRunner trackerRunner;
    private final AtomicLong agentErrors = new AtomicLong();
    private BalloonEngine engine;
    private AgentRunner engineRunner;
    private DeadlineIdleStrategy engineIdle;

    private HostBalloon(final Hypervisor hypervisor, final PolicyCatalog catalog, final ConvergenceConfig convergence,
        final IntUnaryOperator weights, final DecisionListener decisions, final ConvergenceListener reports,
        final NanoClock clock, final EpochClock epochClock)
    {
        this.hypervisor = hypervisor;
        this.catalog = catalog;
        this.clock = clock;
        this.epochClock = epochClock;
        this.decisions = decisions;
        this.xenstore = XenstoredAccess.dom0(hypervisor.xenstored(), () -> { }); // sets no watches
        this.source = new HypervisorSnapshotSource(hypervisor, xenstore, weights, new StatsHistoryRecorder(STATS_HISTORY));
        this.tracker = new ConvergenceTracker(hypervisor, convergence, clock, epochClock, reports);
        hypervisor.addLifecycleListener(tracker);
        this.trackerIdle = new DeadlineIdleStrategy(tracker::nanosUntilDue, MAX_PARK_NS, "convergence-deadline");
        this.trackerRunner = new AgentRunner(trackerIdle, errors(), (AtomicCounter)null, tracker);
    }

    /**
     * Start the tracker, and the engine when a policy is given.
     *
     * @param hypervisor  the host.
     * @param catalog     the policies {@link #setPolicy} may choose.
     * @param policy      the policy to run from the start, or "" (or {@link BalloonPolicyInfo#NONE}) for none.
     * @param arguments   its {@code key=value} parameters.
     * @param convergence the tracker's poll period and deadlines.
     * @param weights     each domain's memory weight ({@code memory_weight}).
     * @param decisions   hears every engine decision (trace, metrics).
     * @param reports     hears every convergence report (trace, metrics).
     * @param clock       the agents' clock.
     * @param epochClock  wall-clock time for reports and decisions.
     * @return the running balloon; close it before the hypervisor.
     * @throws PolicyConfigException naming the policy or key at fault (nothing is started).
     */
    public static HostBalloon start(final Hypervisor hypervisor, final PolicyCatalog catalog, final String policy,
        final List<String> arguments, final ConvergenceConfig convergence, final IntUnaryOperator weights,
        final DecisionListener decisions, final ConvergenceListener reports, final NanoClock clock, final EpochClock epochClock)
    {
        final boolean none = policy.isEmpty() || BalloonPolicyInfo.NONE.equals(policy);
        final PolicySelection initial = none ? null : catalog.select(policy, arguments);
        final HostBalloon balloon = new HostBalloon(hypervisor, catalog, convergence, weights, decisions, reports, clock, epochClock);
        AgentRunner.startOnThread(balloon.trackerRunner);
        if (initial != null)
        {
            balloon.run(initial, arguments);
        }
        return balloon;
    }

    /**
     * Choose the policy ({@code coop balloon-policy set}): validated first; a running engine
     * switches at once (fresh policy state, a round runs at once); {@link BalloonPolicyInfo#NONE}
     * stops the engine (targets then change only by hand).
     *
     * @param name      a policy name, or {@link BalloonPolicyInfo#NONE}.
     * @param arguments {@code key=value} parameters.
     * @return the policy as it now runs.
     * @throws PolicyConfigException naming the policy or key at fault; nothing changes.
     */
    public synchronized BalloonPolicyInfo setPolicy(final String name, final List<String> arguments)
    {
        if (BalloonPolicyInfo.NONE.equals(name))
        {
            if (!arguments.isEmpty())
            {
                throw new PolicyConfigException(arguments.getFirst(), "policy none takes no parameters: " + arguments);
            }
            stopEngine();
            return policyInfo();
        }
        final PolicySelection selection = catalog.select(name, arguments);
        if (engineRunner != null)
        {
            engine.setPolicy(name, arguments);
            LockSupport.unpark(engineRunner.thread());
        }
        else
        {
            run(selection, arguments);
        }
        return policyInfo();
    }

    /** @return the running policy ({@link BalloonPolicyInfo#NONE} for none), its parameters and each domain's last decision. */
    public synchronized BalloonPolicyInfo policyInfo()
    {
        final long rounds = engine == null ? 0 : engine.rounds();
        final List<BalloonDecisionInfo> last = lastDecisions();
        if (engineRunner == null)
        {
            return new BalloonPolicyInfo(BalloonPolicyInfo.NONE, NO_POLICY, 0, Map.of(), catalog.names(), rounds, last);
        }
        final PolicySelection selection = engine.policy();
        return new BalloonPolicyInfo(selection.name(), selection.factory().description(), selection.periodMs(),
            selection.parameters().texts(), catalog.names(), rounds, last);
    }

    /**
     * @param domid a domain, or -1 for all.
     * @return the engine's recent decisions, oldest first (repeats left out); empty when no policy ever ran.
     */
    public synchronized List<BalloonDecisionInfo> decisions(final int domid)
    {
        if (engine == null)
        {
            return List.of();
        }
        final List<DecisionRecord> records = domid < 0 ? engine.history() : engine.history(domid);
        final List<BalloonDecisionInfo> infos = new ArrayList<>(records.size());
        records.forEach(record -> infos.add(info(record)));
        return infos;
    }

    /** @return the convergence tracker (reports, domain states). */
    public ConvergenceTracker tracker()
    {
        return tracker;
    }

    /** @return rounds the engine ran since the host started. */
    public synchronized long rounds()
    {
        return engine == null ? 0 : engine.rounds();
    }

    /** @return targets the engine wrote since the host started. */
    public synchronized long targetsApplied()
    {
        return engine == null ? 0 : engine.targetsApplied();
    }

    /** @return errors the agents threw (should stay 0). */
    public long agentErrors()
    {
        return agentErrors.get();
    }

    /** Stop both agents and drop the xenstore sessions. Idempotent. */
    @Override
    public synchronized void close()
    {
        stopEngine();
        trackerIdle.stopParking(trackerRunner.thread());
        trackerRunner.close();
        tracker.close();
        xenstore.close();
    }

    /** Start the engine's thread with a validated policy (a stopped engine keeps its history and switches). */
    private void run(final PolicySelection selection, final List<String> arguments)
    {
        if (engine == null)
        {
            engine = new BalloonEngine(catalog, selection, source, new XenstoreTargetSink(xenstore), decisions, clock,
                BalloonEngine.DEFAULT_HISTORY_CAPACITY);
        }
        else
        {
            engine.setPolicy(selection.name(), arguments);
        }
        final BalloonEngine running = engine;
        engineIdle = new DeadlineIdleStrategy(running::nanosUntilNextRound, MAX_PARK_NS, "engine-deadline");
        engineRunner = new AgentRunner(engineIdle, errors(), (AtomicCounter)null, running);
        AgentRunner.startOnThread(engineRunner);
    }

    private void stopEngine()
    {
        if (engineRunner != null)
        {
            engineIdle.stopParking(engineRunner.thread());
            engineRunner.close();
            engineRunner = null;
        }
    }

    private List<BalloonDecisionInfo> lastDecisions()
    {
        final List<BalloonDecisionInfo> last = new ArrayList<>();
        if (engine != null)
        {
            for (final Domain domain : hypervisor.domains())
            {
                final DecisionRecord record = engine.lastDecision(domain.domid());
                if (record != null)
                {
                    last.add(info(record));
                }
            }
        }
        return last;
    }

    private BalloonDecisionInfo info(final DecisionRecord record)
    {
        final long atMs = epochClock.time() - TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - record.timeNs());
        return new BalloonDecisionInfo(record.round(), atMs, record.policy(), record.domid(), record.name(), record.currentKib(),
            record.previousTargetKib(), record.proposedKib(), record.targetKib(), record.reason().name(),
            record.policyReason().name(), record.detail(), record.applied());
    }

    private ErrorHandler errors()
    {
        return throwable -> agentErrors.incrementAndGet();
    }
}
