package org.coopvm.guest.coop;

import org.coopvm.guest.coop.PoliteBatchPolicy.Kind;
import org.coopvm.rings.usage.UsageEntryDescriptor;
import org.coopvm.rings.usage.UsageSnapshot;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.coopvm.guest.coop.CpuUsagePages.busy;
import static org.coopvm.guest.coop.CpuUsagePages.domain;
import static org.coopvm.guest.coop.CpuUsagePages.page;

/**
 * {@code polite-batch}'s decisions on recorded usage pages a second apart, with its defaults: another
 * domain starves at a steal growth of 20% of the period, the limit (a quarter of every 100 ms) stays
 * while some other domain's steal grows by 5% or more, and goes after 3 calm periods. The guest is
 * domain 1.
 */
class PoliteBatchPolicyTest
{
    private static final int SELF = 1;

    private final PoliteBatchPolicy policy = configured(Map.of());
    private final RecordingContext ctx = new RecordingContext(SELF, 65536);

    @Test
    void withOneUsagePageItWaitsAndLimitsNothing()
    {
        run(page(0, busy(SELF, 0), busy(2, 0)));

        assertThat(policy.lastDecision().kind()).isEqualTo(Kind.WAIT);
        assertThat(ctx.cpuLimits).isEmpty();
    }

    @Test
    void whenAnotherDomainsStealGrowsPastStealHighItLimitsItselfToItsShare()
    {
        run(page(0, busy(SELF, 0), busy(2, 0)));

        run(page(1, busy(SELF, 0), busy(2, 300)));

        assertThat(policy.lastDecision().kind()).isEqualTo(Kind.YIELD);
        assertThat(ctx.cpuLimits).containsExactly(0.25);
        assertThat(ctx.cpuShare()).isEqualTo(0.25);
        assertThat(ctx.lines).singleElement().asString()
            .startsWith("yield: domain 2 steal 30.0% of the period (1 runnable vCPUs, using 40.0% of a CPU) at or above steal_high 0.2");
    }

    @Test
    void itKeepsTheLimitWhileOthersStillWaitAndLiftsItAfterThreeCalmPeriods()
    {
        run(page(0, busy(SELF, 0), busy(2, 0)));
        run(page(1, busy(SELF, 0), busy(2, 300)));

        run(page(2, busy(SELF, 0), busy(2, 400)));
        assertThat(policy.lastDecision().kind()).as("10%: below steal_high, above steal_low").isEqualTo(Kind.HOLD);
        run(page(3, busy(SELF, 0), busy(2, 410)));
        run(page(4, busy(SELF, 0), busy(2, 420)));
        assertThat(policy.lastDecision().kind()).as("two calm periods").isEqualTo(Kind.HOLD);
        assertThat(ctx.cpuLimits).containsExactly(0.25);

        run(page(5, busy(SELF, 0), busy(2, 430)));

        assertThat(policy.lastDecision().kind()).isEqualTo(Kind.RESUME);
        assertThat(ctx.cpuLimits).containsExactly(0.25, 1.0);
        assertThat(ctx.lines).hasSize(2).last().asString().startsWith("resume: no other domain's steal grew by 0.05 or more for 3 periods");
    }

    @Test
    void aContendedPeriodStartsTheCalmCountAgain()
    {
        run(page(0, busy(SELF, 0), busy(2, 0)));
        run(page(1, busy(SELF, 0), busy(2, 300)));
        run(page(2, busy(SELF, 0), busy(2, 300)));
        run(page(3, busy(SELF, 0), busy(2, 300)));
        run(page(4, busy(SELF, 0), busy(2, 400)));
        run(page(5, busy(SELF, 0), busy(2, 400)));
        run(page(6, busy(SELF, 0), busy(2, 400)));

        assertThat(policy.lastDecision().kind()).isEqualTo(Kind.HOLD);
        assertThat(ctx.cpuLimits).containsExactly(0.25);
    }

    @Test
    void domainsThatDoNotWantCpuDoNotCountHowEverTheirStealGrows()
    {
        final int paused = UsageEntryDescriptor.FLAG_PAUSED;
        run(page(0, busy(SELF, 0), domain(2, 0, 1, 0, paused), domain(3, 0, 0, 0, 0), domain(4, 0, 1, 0, UsageEntryDescriptor.FLAG_DYING)));

        // a paused domain's vCPUs are offline (steal); 3 is suspended (offline, nothing runnable, no CPU used)
        run(page(1, busy(SELF, 900), domain(2, 1000, 1, 0, paused), domain(3, 1000, 0, 0, 0),
            domain(4, 1000, 1, 0, UsageEntryDescriptor.FLAG_DYING)));

        assertThat(policy.lastDecision().kind()).as("its own steal does not count either").isEqualTo(Kind.CONTENT);
        assertThat(ctx.cpuLimits).isEmpty();
    }

    @Test
    void aDomainThatRanInThePeriodButHoldsNoRunnableVcpuNowStillCounts()
    {
        run(page(0, busy(SELF, 0), domain(2, 0, 0, 500, 0)));

        run(page(1, busy(SELF, 0), domain(2, 500, 0, 500, 0)));

        assertThat(policy.lastDecision().kind()).isEqualTo(Kind.YIELD);
    }

    @Test
    void theSamePageTwiceIsNoNewPeriodAndADomainFirstSeenHasNoRateYet()
    {
        run(page(0, busy(SELF, 0)));
        run(page(1, busy(SELF, 0), busy(2, 5000)));
        assertThat(policy.lastDecision().kind()).as("domain 2 is new: no growth known").isEqualTo(Kind.CONTENT);

        run(page(2, busy(SELF, 0), busy(2, 5300)));
        run(page(3, busy(SELF, 0), busy(2, 5300)));
        run(page(4, busy(SELF, 0), busy(2, 5300)));
        final UsageSnapshot same = page(4, busy(SELF, 0), busy(2, 5300));
        run(same);
        run(same);

        assertThat(policy.lastDecision().kind()).as("two calm periods, the repeats are not periods").isEqualTo(Kind.HOLD);
    }

    @Test
    void itsParametersAreCheckedAndSteerIt()
    {
        assertThatThrownBy(() -> configured(Map.of("steal_low", "0.3"))).isInstanceOf(CooperationConfigException.class)
            .hasMessageContaining("steal_low < steal_high");
        assertThatThrownBy(() -> configured(Map.of("share", "1.5"))).hasMessageContaining("share = 1.5 is not a number in 0.01..0.99");
        final PoliteBatchPolicy strict = configured(Map.of("steal_high", "0.5", "share", "0.1"));
        strict.onUsage(page(0, busy(SELF, 0), busy(2, 0)), ctx);
        strict.onUsage(page(1, busy(SELF, 0), busy(2, 400)), ctx);
        assertThat(strict.lastDecision().kind()).isEqualTo(Kind.CONTENT);
        strict.onUsage(page(2, busy(SELF, 0), busy(2, 1000)), ctx);
        assertThat(ctx.cpuLimits).containsExactly(0.1);
    }

    private void run(final UsageSnapshot page)
    {
        policy.onUsage(page, ctx);
    }

    private static PoliteBatchPolicy configured(final Map<String, String> args)
    {
        return (PoliteBatchPolicy)CooperationPolicies.select(PoliteBatchPolicy.NAME, args).policy();
    }
}
