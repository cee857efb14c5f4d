package org.coopvm.guest.coop;

import org.coopvm.guest.coop.LatencyPolicy.Kind;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.coopvm.guest.coop.CpuUsagePages.busy;
import static org.coopvm.guest.coop.CpuUsagePages.domain;
import static org.coopvm.guest.coop.CpuUsagePages.page;

/**
 * {@code latency}: at start it learns the configured slice and asks for its own, never more; then
 * it says once when its own steal (usage pages a second apart) reaches 5% of the period and once
 * when it is back below 2.5%. The guest is domain 1.
 */
class LatencyPolicyTest
{
    private static final int SELF = 1;

    private final RecordingContext ctx = new RecordingContext(SELF, 65536);

    @Test
    void atStartItAsksForItsShortSliceAfterLearningTheConfiguredOne()
    {
        final LatencyPolicy policy = configured(Map.of());

        policy.start(ctx);

        assertThat(ctx.sliceRequests).containsExactly(0, 2);
        assertThat(policy.sliceMs()).isEqualTo(2);
        assertThat(ctx.lines).containsExactly("latency-sensitive: slice 2 ms (asked 2 ms, configured 30 ms)");
    }

    @Test
    void itNeverAsksForMoreThanTheConfiguredSlice()
    {
        final LatencyPolicy policy = configured(Map.of("slice_ms", "10"));
        ctx.configuredSliceMs(5);

        policy.start(ctx);

        assertThat(ctx.sliceRequests).containsExactly(0, 5);
        assertThat(policy.sliceMs()).isEqualTo(5);
    }

    @Test
    void aHostThatRefusesIsSaidOnTheConsole()
    {
        final LatencyPolicy policy = configured(Map.of());
        ctx.configuredSliceMs(-1);

        policy.start(ctx);

        assertThat(ctx.sliceRequests).containsExactly(0);
        assertThat(policy.sliceMs()).isEqualTo(-22);
        assertThat(ctx.lines).containsExactly("latency-sensitive, but the host refused a slice request (-22)");
    }

    @Test
    void itSaysOnceWhenItsOwnStealReachesStealWarnAndOnceWhenItIsBackBelowHalf()
    {
        final LatencyPolicy policy = configured(Map.of());
        policy.onUsage(page(0, domain(SELF, 0, 0, 10, 0), busy(2, 0)), ctx);
        assertThat(policy.lastDecision().kind()).isEqualTo(Kind.WAIT);
        policy.onUsage(page(1, domain(SELF, 20, 0, 10, 0), busy(2, 900)), ctx);
        assertThat(policy.lastDecision().kind()).as("2% of the period, another domain's steal does not matter").isEqualTo(Kind.FINE);

        policy.onUsage(page(2, domain(SELF, 100, 1, 10, 0), busy(2, 900)), ctx);
        policy.onUsage(page(3, domain(SELF, 150, 0, 10, 0), busy(2, 900)), ctx);
        assertThat(policy.lastDecision().kind()).as("5% again: still starved").isEqualTo(Kind.STARVED);
        policy.onUsage(page(4, domain(SELF, 180, 0, 10, 0), busy(2, 900)), ctx);
        assertThat(policy.lastDecision().kind()).as("3%: not yet below half of steal_warn").isEqualTo(Kind.STARVED);
        policy.onUsage(page(5, domain(SELF, 190, 0, 10, 0), busy(2, 900)), ctx);

        assertThat(policy.lastDecision().kind()).isEqualTo(Kind.RECOVERED);
        assertThat(ctx.lines).hasSize(2);
        assertThat(ctx.lines.get(0)).startsWith("starved: steal 8.0% of the period, 1 runnable vCPUs, using 1.0% of a CPU, " +
            "priority UNDER..OVER, host load 90.0% of 1 slots");
        assertThat(ctx.lines.get(1)).startsWith("recovered: steal 1.0% of the period");
    }

    private static LatencyPolicy configured(final Map<String, String> args)
    {
        return (LatencyPolicy)CooperationPolicies.select(LatencyPolicy.NAME, args).policy();
    }
}
