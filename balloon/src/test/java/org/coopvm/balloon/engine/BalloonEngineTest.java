package org.coopvm.balloon.engine;

import org.coopvm.balloon.policy.BalloonDecision;
import org.coopvm.balloon.policy.BalloonPolicy;
import org.coopvm.balloon.policy.BalloonPolicyFactory;
import org.coopvm.balloon.policy.BalloonSnapshot;
import org.coopvm.balloon.policy.DecisionReason;
import org.coopvm.balloon.policy.DomainView;
import org.coopvm.balloon.policy.PolicyCatalog;
import org.coopvm.balloon.policy.PolicyConfigException;
import org.coopvm.balloon.policy.PolicyParameter;
import org.coopvm.balloon.policy.PolicyParameters;
import org.coopvm.balloon.policy.PolicySelection;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.coopvm.balloon.testing.Guests.guest;
import static org.coopvm.balloon.testing.Guests.snapshot;

class BalloonEngineTest
{
    private static final long PERIOD_NS = TimeUnit.MILLISECONDS.toNanos(10_000);

    private final AtomicLong clockNs = new AtomicLong(5_000_000_000L);
    private final AtomicReference<BalloonSnapshot> world = new AtomicReference<>(snapshot(2_000_000, 1_000_000,
        guest(1, 400_000, 800_000), guest(2, 400_000, 800_000)));
    private final List<String> applied = new ArrayList<>();
    private final List<DecisionRecord> heard = new ArrayList<>();
    private final List<String> switches = new ArrayList<>();
    private final AtomicLong snapshots = new AtomicLong();
    private boolean sinkAccepts = true;

    private final DecisionListener listener = new DecisionListener()
    {
        @Override
        public void onDecision(final DecisionRecord record)
        {
            heard.add(record);
        }

        @Override
        public void onPolicyChanged(final PolicySelection previous, final PolicySelection next)
        {
            switches.add(previous.name() + " -> " + next.name());
        }
    };

    @Test
    void runsAtTheFirstDutyCycleThenOncePerPeriodAndIdlesBetween()
    {
        final BalloonEngine engine = engine(PolicyCatalog.load(), "static", 16);

        assertThat(engine.doWork()).isEqualTo(1);
        assertThat(engine.doWork()).isZero();
        assertThat(engine.nanosUntilNextRound()).isEqualTo(PERIOD_NS);
        clockNs.addAndGet(PERIOD_NS - 1);
        assertThat(engine.doWork()).isZero();
        assertThat(engine.nanosUntilNextRound()).isEqualTo(1);
        clockNs.addAndGet(1);
        assertThat(engine.doWork()).isEqualTo(1);

        assertThat(snapshots.get()).isEqualTo(2);
        assertThat(engine.rounds()).isEqualTo(2);
    }

    @Test
    void appliesOnlyChangedTargetsAndRecordsEveryDecisionOnceInTheHistory()
    {
        final BalloonEngine engine = engine(PolicyCatalog.load(), "static", 16, "targets_kib=dom1:300000");

        engine.doWork();
        assertThat(applied).containsExactly("dom1=300000");
        assertThat(engine.history()).extracting(DecisionRecord::domid, DecisionRecord::targetKib, DecisionRecord::reason,
            DecisionRecord::applied).containsExactly(
                tuple(1, 300_000L, DecisionReason.FIXED_TARGET, true),
                tuple(2, 400_000L, DecisionReason.CONFIGURED, false));

        nextRound(engine);

        assertThat(applied).hasSize(1);
        assertThat(engine.history()).hasSize(2);
        assertThat(heard).hasSize(4).extracting(DecisionRecord::repeat).containsExactly(false, false, true, true);
        assertThat(engine.lastDecision(1).round()).isEqualTo(2);
        assertThat(engine.targetsApplied()).isEqualTo(1);
    }

    @Test
    void theHistoryKeepsTheNewestDecisions()
    {
        final BalloonEngine engine = engine(PolicyCatalog.load(), "static", 3, "targets_kib=dom1:300000,dom2:300000");
        engine.doWork();
        engine.setPolicy("static", List.of());
        engine.doWork();

        assertThat(engine.history()).hasSize(3).extracting(DecisionRecord::round).containsExactly(1L, 2L, 2L);
        assertThat(engine.history(2)).extracting(DecisionRecord::reason).containsExactly(DecisionReason.FIXED_TARGET,
            DecisionReason.CONFIGURED);
    }

    @Test
    void aRefusedTargetIsCountedAndTriedAgainNextRound()
    {
        final BalloonEngine engine = engine(PolicyCatalog.load(), "static", 16, "targets_kib=dom1:300000");
        sinkAccepts = false;

        engine.doWork();
        nextRound(engine);

        assertThat(applied).containsExactly("dom1=300000", "dom1=300000");
        assertThat(engine.sinkFailures()).isEqualTo(2);
        assertThat(engine.lastError()).isEqualTo("target sink refused dom1 300000 KiB");
        assertThat(engine.lastDecision(1).applied()).isFalse();
    }

    @Test
    void aPolicyThatThrowsKeepsEveryTargetAndTheEngineGoesOn()
    {
        final BalloonEngine engine = engine(PolicyCatalog.of(List.of(factory("broken", s ->
        {
            throw new IllegalStateException("bug");
        }))), "broken", 16);

        engine.doWork();
        nextRound(engine);

        assertThat(engine.policyFailures()).isEqualTo(2);
        assertThat(engine.lastError()).isEqualTo("policy broken threw java.lang.IllegalStateException: bug");
        assertThat(applied).isEmpty();
        assertThat(engine.history()).extracting(DecisionRecord::reason).containsOnly(DecisionReason.POLICY_FAILED);
        assertThat(engine.history()).extracting(DecisionRecord::targetKib).containsOnly(400_000L);
    }

    @Test
    void aSnapshotSourceThatFailsSkipsTheRound()
    {
        final BalloonEngine engine = new BalloonEngine(PolicyCatalog.load(), PolicyCatalog.load().select("static", List.of()),
            now -> { throw new IllegalStateException("hypervisor gone"); }, (d, t) -> true, listener, clockNs::get, 16);

        assertThat(engine.doWork()).isEqualTo(1);

        assertThat(engine.sourceFailures()).isEqualTo(1);
        assertThat(engine.rounds()).isZero();
        assertThat(engine.lastError()).contains("hypervisor gone");
        assertThat(heard).isEmpty();
    }

    @Test
    void decisionsForUnknownOrRepeatedDomainsAreDroppedAndCounted()
    {
        final BalloonEngine engine = engine(PolicyCatalog.of(List.of(factory("sloppy", s -> List.of(
            new BalloonDecision(9, 1, DecisionReason.NO_CHANGE, "who?"),
            new BalloonDecision(1, 300_000, DecisionReason.NO_CHANGE, "first"),
            new BalloonDecision(1, 100_000, DecisionReason.NO_CHANGE, "second"))))), "sloppy", 16);

        engine.doWork();

        assertThat(engine.droppedDecisions()).isEqualTo(2);
        assertThat(applied).containsExactly("dom1=300000");
        assertThat(engine.lastDecision(2).detail()).isEqualTo("policy made no decision");
    }

    @Test
    void aBadPolicySwitchIsRefusedAndTheRunningPolicyStays()
    {
        final BalloonEngine engine = engine(PolicyCatalog.load(), "mom", 16);
        engine.doWork();

        assertThatThrownBy(() -> engine.setPolicy("mom", List.of("pressure_threshold=2")))
            .isInstanceOf(PolicyConfigException.class)
            .hasMessageContaining("pressure_threshold: 2 outside [0.0, 1.0]");
        assertThatThrownBy(() -> engine.setPolicy("ballon", List.of())).isInstanceOf(PolicyConfigException.class);

        assertThat(engine.policy().name()).isEqualTo("mom");
        assertThat(engine.doWork()).isZero();
        assertThat(switches).isEmpty();
    }

    @Test
    void aPolicySwitchTakesEffectAtTheNextDutyCycleWithItsOwnPeriod()
    {
        final BalloonEngine engine = engine(PolicyCatalog.load(), "mom", 16);
        engine.doWork();

        final PolicySelection selection = engine.setPolicy("static", List.of("targets_kib=dom2:200000", "period_ms=1000"));

        assertThat(engine.policy()).isSameAs(selection);
        assertThat(engine.nanosUntilNextRound()).isZero();
        assertThat(engine.doWork()).isEqualTo(2);
        assertThat(switches).containsExactly("mom -> static");
        assertThat(applied).containsExactly("dom2=200000");
        assertThat(engine.lastDecision(2).policy()).isEqualTo("static");
        assertThat(engine.nanosUntilNextRound()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1000));
    }

    @Test
    void policySwitchesFromOtherThreadsWhileTheAgentRuns() throws InterruptedException
    {
        final BalloonEngine engine = engine(PolicyCatalog.load(), "static", 64);
        final Thread agent = new Thread(() ->
        {
            for (int i = 0; i < 2_000; i++)
            {
                clockNs.addAndGet(PERIOD_NS);
                engine.doWork();
            }
        });
        agent.start();
        for (int i = 0; i < 200; i++)
        {
            engine.setPolicy(i % 2 == 0 ? "mom" : "static", List.of("period_ms=" + (100 + i)));
        }
        engine.setPolicy("selfballoon", List.of());
        agent.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(agent.isAlive()).isFalse();

        engine.doWork();

        assertThat(engine.lastDecision(1).policy()).isEqualTo("selfballoon");
        assertThat(engine.policy().name()).isEqualTo("selfballoon");
        assertThat(engine.policyFailures() + engine.listenerFailures() + engine.sourceFailures()).isZero();
    }

    /** Move the world to the targets applied so far (a balloon that has not moved yet), then run a round a period later. */
    private void nextRound(final BalloonEngine engine)
    {
        final BalloonSnapshot now = world.get();
        final List<DomainView> views = new ArrayList<>();
        for (final DomainView view : now.domains())
        {
            final DecisionRecord last = heard.stream().filter(r -> r.domid() == view.domid() && r.applied())
                .reduce((a, b) -> b).orElse(null);
            views.add(last == null ? view : view.withMemory(view.currentKib(), last.targetKib()));
        }
        world.set(new BalloonSnapshot(now.timeNs(), now.host(), views));
        clockNs.addAndGet(PERIOD_NS);
        assertThat(engine.doWork()).isEqualTo(1);
    }

    private BalloonEngine engine(final PolicyCatalog catalog, final String policy, final int history, final String... args)
    {
        final SnapshotSource source = now ->
        {
            snapshots.incrementAndGet();
            return world.get();
        };
        final TargetSink sink = (domid, targetKib) ->
        {
            applied.add("dom" + domid + "=" + targetKib);
            return sinkAccepts;
        };
        return new BalloonEngine(catalog, catalog.select(policy, List.of(args)), source, sink, listener, clockNs::get, history);
    }

    private static BalloonPolicyFactory factory(final String name, final Function<BalloonSnapshot, List<BalloonDecision>> decide)
    {
        return new BalloonPolicyFactory()
        {
            @Override
            public String name()
            {
                return name;
            }

            @Override
            public String description()
            {
                return "test policy";
            }

            @Override
            public List<PolicyParameter<?>> parameters()
            {
                return List.of();
            }

            @Override
            public BalloonPolicy create(final PolicyParameters parameters)
            {
                return decide::apply;
            }
        };
    }
}
