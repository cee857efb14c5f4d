package org.coopvm.examples.workload;

import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.awaitility.core.ConditionTimeoutException;
import org.coopvm.balloon.engine.DecisionRecord;
import org.coopvm.balloon.host.HostBalloon;
import org.coopvm.balloon.policy.DecisionReason;
import org.coopvm.balloon.policy.PolicyCatalog;
import org.coopvm.guest.GuestKernel;
import org.coopvm.guest.KernelConfig;
import org.coopvm.guest.coop.MemoryCooperativePolicy;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.api.ConvergenceOutcome;
import org.coopvm.hypervisor.api.ConvergenceReport;
import org.coopvm.hypervisor.config.ConvergenceConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.hypervisor.usage.UsageConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Both halves of the {@code cooperative} balloon policy, in-process guests of a real hypervisor:
 * a {@code hog} demanding more than it booted with and an {@code idle} guest, each running the
 * {@code memory-cooperative} guest policy on the usage page, under the host's {@code cooperative}
 * policy. The pool starts below its 5% reserve, so the guests give back what it lacks; once the
 * hog's demand outgrows its memory it asks for what the pool has, and the idle guest, seeing it
 * starve on the usage page, volunteers more. The host shrinks the volunteer and grows the hog, and
 * both moves are reported reached. Periods are short (usage page and stats 100 ms, guest policy
 * 100 ms, host rounds 200 ms): it takes a few seconds.
 */
class CooperativeBalloonInProcessTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final Map<String, String> COOP_ARGS = Map.of("period_ms", "100");
    private static final KernelConfig FAST_STATS = KernelConfig.DEFAULT.withStatsPeriodMs(100);

    private final Map<Integer, StringBuffer> consoles = new ConcurrentHashMap<>();
    private final List<DecisionRecord> decisions = new CopyOnWriteArrayList<>();
    private final List<ConvergenceReport> reports = new CopyOnWriteArrayList<>();
    private final List<GuestKernel> kernels = new ArrayList<>();
    // 74 MiB: the two guests take 72, leaving 2 MiB, below the 5% reserve (3.7 MiB)
    private final Hypervisor hypervisor = new Hypervisor(HypervisorConfig.defaults(null).withPoolPages(74 * 256)
        .withConsole((domain, bytes, offset, length) ->
            consoles.computeIfAbsent(domain.domid(), d -> new StringBuffer()).append(bytes.getStringWithoutLengthUtf8(offset, length))),
        UsageConfig.DEFAULTS.withPeriodMs(100));
    private HostBalloon balloon;

    @AfterEach
    void stop()
    {
        if (balloon != null)
        {
            balloon.close();
        }
        kernels.forEach(GuestKernel::close);
        hypervisor.close();
    }

    @Test
    void theIdleGuestVolunteersWhatTheStarvingHogThenAsksForAndTheHostMovesBoth()
    {
        hypervisor.start();
        final Domain hog = boot(new DomainSpec("hog", 1, 24 * 1024, 64 * 1024, 0, true, "hog",
            Map.of("profile", "step", "levels_mib", "40", "durations_s", "3600"), 4,
            DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES, DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES));
        final Domain idle = boot(new DomainSpec("idle", 1, 48 * 1024, 48 * 1024, 0, true, "idle", Map.of(), 4,
            DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES, DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES));
        balloon = HostBalloon.start(hypervisor, PolicyCatalog.load(), "cooperative", List.of("period_ms=200"),
            new ConvergenceConfig(20, 10_000, 30_000), domid -> 256, decisions::add, reports::add, new SystemNanoClock(),
            SystemEpochClock.INSTANCE);

        try
        {
            await().atMost(DEADLINE).until(() -> reachedMoved(idle, 48 * 1024) && reachedMoved(hog, 24 * 1024));
        }
        catch (final ConditionTimeoutException ex)
        {
            throw new AssertionError("no reached report for both guests; decisions " + decisions + "; reports " + reports +
                "; consoles " + consoles, ex);
        }

        assertThat(target(idle)).as("the volunteer gave memory back").isLessThan(48 * 1024);
        assertThat(target(hog)).as("the hog got more").isGreaterThan(24 * 1024);
        assertThat(decisions).anySatisfy(decision -> assertThat(decision)
            .extracting(DecisionRecord::domid, DecisionRecord::policyReason).containsExactly(idle.domid(), DecisionReason.GUEST_VOLUNTEERED));
        assertThat(decisions).anySatisfy(decision ->
        {
            assertThat(decision.domid()).isEqualTo(hog.domid());
            assertThat(decision.policyReason()).isIn(DecisionReason.GUEST_REQUEST_GRANTED, DecisionReason.GUEST_REQUEST_PARTIAL);
        });
        assertThat(console(idle)).contains("cooperation: policy memory-cooperative period_ms=100, every 100 ms")
            .contains("cooperation: volunteer");
        assertThat(console(hog)).contains("cooperation: ask");
        assertThat(balloon.agentErrors()).isZero();
        assertThat(kernels).allSatisfy(kernel -> assertThat(kernel.cooperation()).hasValueSatisfying(runner ->
        {
            assertThat(runner.policy()).isInstanceOf(MemoryCooperativePolicy.class);
            assertThat(runner.failures()).isZero();
        }));
    }

    @Test
    void aPolicyTheGuestDoesNotKnowIsSaidOnItsConsoleAndTheGuestRunsWithoutOne()
    {
        hypervisor.start();
        final Domain domain = hypervisor.createDomain(new DomainSpec("odd", 1, 16 * 1024, 16 * 1024, 0, true, "idle", Map.of(), 4,
            DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES, DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES)
            .withCoopPolicy("greedy", Map.of("appetite", "9")));
        final GuestKernel kernel = InProcessGuests.boot(hypervisor, domain, FAST_STATS);
        kernels.add(kernel);

        await().atMost(DEADLINE).until(() -> console(domain).contains("idle: dom" + domain.domid() + " is idle"));

        assertThat(console(domain)).contains("cooperation: policy greedy not started: unknown cooperation policy 'greedy' (known: " +
            MemoryCooperativePolicy.NAME);
        assertThat(kernel.cooperation()).isEmpty();
        assertThat(kernel.exit()).as("still running").isEmpty();
    }

    private Domain boot(final DomainSpec spec)
    {
        final Domain domain = hypervisor.createDomain(spec.withCoopPolicy(MemoryCooperativePolicy.NAME, COOP_ARGS));
        kernels.add(InProcessGuests.boot(hypervisor, domain, FAST_STATS));
        return domain;
    }

    /** A target other than the one it booted with was reached (a target equal to it is reached at once, before any move). */
    private boolean reachedMoved(final Domain domain, final long bootKib)
    {
        return reports.stream().anyMatch(report -> report.domid() == domain.domid() && report.outcome() == ConvergenceOutcome.REACHED &&
            report.effectiveKib() != bootKib);
    }

    private long target(final Domain domain)
    {
        return hypervisor.xenstored().read("/local/domain/" + domain.domid() + "/memory/target")
            .map(bytes -> Long.parseLong(new String(bytes, StandardCharsets.UTF_8))).orElseThrow();
    }

    private String console(final Domain domain)
    {
        return String.valueOf(consoles.get(domain.domid()));
    }
}
