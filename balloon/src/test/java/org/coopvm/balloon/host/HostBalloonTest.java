package org.coopvm.balloon.host;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.coopvm.balloon.engine.DecisionListener;
import org.coopvm.balloon.engine.DecisionRecord;
import org.coopvm.balloon.policy.DecisionReason;
import org.coopvm.balloon.policy.PolicyCatalog;
import org.coopvm.balloon.policy.PolicyConfigException;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.api.BalloonDecisionInfo;
import org.coopvm.hypervisor.api.BalloonPolicyInfo;
import org.coopvm.hypervisor.api.ConvergenceOutcome;
import org.coopvm.hypervisor.api.ConvergenceReport;
import org.coopvm.hypervisor.config.ConvergenceConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The balloon as a host runs it, on its own threads: the engine applies a policy's targets to
 * xenstore and records its decisions, the tracker reports how the domain followed, the policy
 * changes only when the new one is valid, and every balloon metric moves.
 */
class HostBalloonTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private final Hypervisor hypervisor = new Hypervisor(HypervisorConfig.defaults(null).withPoolPages(256 * 256));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final BalloonMetrics metrics = new BalloonMetrics(registry);
    private final List<DecisionRecord> decided = new CopyOnWriteArrayList<>();
    private final List<ConvergenceReport> reported = new CopyOnWriteArrayList<>();
    private HostBalloon balloon;

    @AfterEach
    void close()
    {
        if (balloon != null)
        {
            balloon.close();
        }
        hypervisor.close();
        registry.close();
    }

    @Test
    void theEngineWritesThePolicysTargetsToXenstoreRecordsItsDecisionsAndTheTrackerReportsTheGuestFollowing()
    {
        final Domain web = domain("web", 32);
        final Domain db = domain("db", 16);
        balloon = start("static", List.of("targets_kib=web:16384", "period_ms=50"));

        await().atMost(DEADLINE).until(() -> "16384".equals(target(web)));
        final List<BalloonDecisionInfo> webDecisions = balloon.decisions(web.domid());
        assertThat(webDecisions.getFirst()).extracting(BalloonDecisionInfo::policy, BalloonDecisionInfo::reason,
            BalloonDecisionInfo::previousTargetKib, BalloonDecisionInfo::targetKib, BalloonDecisionInfo::applied)
            .containsExactly("static", "FIXED_TARGET", 32_768L, 16_384L, true);
        assertThat(balloon.decisions(db.domid())).extracting(BalloonDecisionInfo::reason, BalloonDecisionInfo::applied)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("CONFIGURED", false));
        assertThat(target(db)).isEqualTo("16384");

        shrink(web, 4096);
        await().atMost(DEADLINE).until(() -> !reported.isEmpty());
        assertThat(reported.getFirst()).extracting(ConvergenceReport::domid, ConvergenceReport::outcome, ConvergenceReport::requestedKib)
            .containsExactly(web.domid(), ConvergenceOutcome.REACHED, 16_384L);
        assertThat(decided).anySatisfy(record -> assertThat(record.reason()).isEqualTo(DecisionReason.FIXED_TARGET));

        final BalloonPolicyInfo info = balloon.policyInfo();
        assertThat(info.policy()).isEqualTo("static");
        assertThat(info.periodMs()).isEqualTo(50);
        assertThat(info.parameters()).containsExactly(Map.entry("targets_kib", "web:16384"));
        assertThat(info.available()).contains("static", "mom", "proportional-share", "selfballoon", "cooperative");
        assertThat(info.lastDecisions()).extracting(BalloonDecisionInfo::name).containsExactly("web", "db");
        assertThat(balloon.agentErrors()).isZero();
    }

    @Test
    void aBadPolicyChangesNothingAValidOneSwitchesAndNoneStopsTheEngine()
    {
        final Domain web = domain("web", 32);
        balloon = start("", List.of());
        assertThat(balloon.policyInfo().policy()).isEqualTo(BalloonPolicyInfo.NONE);

        assertThatThrownBy(() -> balloon.setPolicy("nope", List.of())).isInstanceOf(PolicyConfigException.class)
            .hasMessageContaining("unknown balloon policy 'nope'");
        assertThatThrownBy(() -> balloon.setPolicy("mom", List.of("pressure_threshold=7")))
            .isInstanceOfSatisfying(PolicyConfigException.class, ex -> assertThat(ex.key()).isEqualTo("pressure_threshold"))
            .hasMessageContaining("pressure_threshold");
        assertThat(balloon.policyInfo().policy()).isEqualTo(BalloonPolicyInfo.NONE);
        assertThat(target(web)).as("nothing ran").isEqualTo("32768");

        balloon.setPolicy("static", List.of("targets_kib=web:20480", "period_ms=50"));
        await().atMost(DEADLINE).until(() -> "20480".equals(target(web)));
        balloon.setPolicy("static", List.of("targets_kib=web:24576", "period_ms=50"));
        await().atMost(DEADLINE).until(() -> "24576".equals(target(web)));

        final BalloonPolicyInfo stopped = balloon.setPolicy(BalloonPolicyInfo.NONE, List.of());
        assertThat(stopped.policy()).isEqualTo(BalloonPolicyInfo.NONE);
        assertThat(stopped.periodMs()).isZero();
        assertThat(balloon.decisions(-1)).as("the history outlives the engine's thread")
            .extracting(BalloonDecisionInfo::targetKib).contains(20_480L, 24_576L);
        assertThatThrownBy(() -> balloon.setPolicy(BalloonPolicyInfo.NONE, List.of("period_ms=5")))
            .isInstanceOf(PolicyConfigException.class);
    }

    @Test
    void everyBalloonMetricMoves()
    {
        final Domain web = domain("web", 32);
        balloon = start("static", List.of("targets_kib=web:16384", "period_ms=50"));
        metrics.bind(balloon);
        await().atMost(DEADLINE).until(() -> "16384".equals(target(web)));
        shrink(web, 4096);
        await().atMost(DEADLINE).until(() -> registry.get("coop.balloon.reports").tag("outcome", "reached").counter().count() == 1);

        assertThat(registry.get("coop.balloon.convergence.time").timer().count()).isEqualTo(1);
        assertThat(registry.get("coop.balloon.decisions").tag("reason", "FIXED_TARGET").counter().count()).isEqualTo(1);
        assertThat(registry.get("coop.balloon.rounds").functionCounter().count()).isPositive();
        assertThat(registry.get("coop.balloon.targets.applied").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("coop.balloon.convergence.tracking").gauge().value()).isZero();
        final Set<String> names = registry.getMeters().stream().map(Meter::getId).map(Meter.Id::getName).collect(Collectors.toSet());
        assertThat(names).containsExactlyInAnyOrder("coop.balloon.reports", "coop.balloon.convergence.time",
            "coop.balloon.decisions", "coop.balloon.rounds", "coop.balloon.targets.applied", "coop.balloon.convergence.tracking");
        assertThat(registry.find("coop.balloon.reports").counters()).as("one series per outcome")
            .hasSize(ConvergenceOutcome.values().length);
    }

    private HostBalloon start(final String policy, final List<String> arguments)
    {
        final DecisionListener decisions = record ->
        {
            decided.add(record);
            metrics.onDecision(record);
        };
        final ConvergenceListener reports = report ->
        {
            reported.add(report);
            metrics.onReport(report);
        };
        return HostBalloon.start(hypervisor, PolicyCatalog.load(), policy, arguments, new ConvergenceConfig(20, 5_000, 10_000),
            domid -> 256, decisions, reports, new SystemNanoClock(), SystemEpochClock.INSTANCE);
    }

    private Domain domain(final String name, final long memoryMib)
    {
        return hypervisor.createDomain(new DomainSpec(name, 1, memoryMib * 1024, memoryMib * 1024, 0, true, "idle", Map.of(),
            DomainSpec.MAX_GRANT_FRAMES, DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES, DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES));
    }

    private String target(final Domain domain)
    {
        return hypervisor.xenstored().read(DomainNodes.path(domain.domid(), DomainNodes.TARGET))
            .map(String::new).orElse(null);
    }

    private void shrink(final Domain domain, final long pages)
    {
        final int count = (int)(domain.memory().physmap().populatedPages() - pages);
        final long[] gpfns = new long[count];
        for (int i = 0; i < count; i++)
        {
            gpfns[i] = pages + i;
        }
        hypervisor.locked(() -> hypervisor.reservations().decreaseReservation(domain.domid(), domain.memory(), gpfns, count, 0));
    }
}
