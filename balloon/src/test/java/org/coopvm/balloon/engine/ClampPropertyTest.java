package org.coopvm.balloon.engine;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.coopvm.balloon.policy.BalloonDecision;
import org.coopvm.balloon.policy.BalloonPolicy;
import org.coopvm.balloon.policy.BalloonSnapshot;
import org.coopvm.balloon.policy.DecisionReason;
import org.coopvm.balloon.policy.DomainView;
import org.coopvm.balloon.policy.HostPool;
import org.coopvm.balloon.policy.PolicyCatalog;
import org.coopvm.balloon.policy.StatsSample;
import org.coopvm.balloon.policy.StatsStatus;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a policy proposes and whatever guests report (lies included), the targets the engine
 * applies stay within [floor, maxmem], never grow a domain without fresh stats, and never promise
 * more than the pool holds; and no shipped policy throws on such input, or decides differently
 * on the same snapshots.
 */
class ClampPropertyTest
{
    private static final long PAGE = TargetClamp.PAGE_KIB;
    private static final PolicyCatalog CATALOG = PolicyCatalog.load();

    @Property(tries = 200)
    void clampedTargetsKeepTheInvariants(@ForAll("snapshots") final BalloonSnapshot snapshot,
        @ForAll("proposals") final List<Long> proposals)
    {
        final List<BalloonDecision> decisions = new ArrayList<>();
        for (int i = 0; i < proposals.size(); i++)
        {
            final int domid = 1 + i % (snapshot.domains().size() + 1);
            decisions.add(new BalloonDecision(domid, proposals.get(i), DecisionReason.NO_CHANGE, "random"));
        }

        assertInvariants(snapshot, TargetClamp.clamp(snapshot, decisions, true));
    }

    @Property(tries = 100)
    void shippedPoliciesNeverThrowAndTheirTargetsKeepTheInvariants(@ForAll("snapshots") final BalloonSnapshot snapshot)
    {
        for (final String name : CATALOG.names())
        {
            final BalloonPolicy policy = CATALOG.select(name, List.of()).newPolicy();
            final BalloonPolicy twin = CATALOG.select(name, List.of()).newPolicy();
            for (int round = 0; round < 3; round++)
            {
                final List<BalloonDecision> decisions = policy.decide(snapshot);
                assertThat(twin.decide(snapshot)).as("%s is deterministic", name).isEqualTo(decisions);
                final TargetClamp.Result result = TargetClamp.clamp(snapshot, decisions, policy.growsOnGuestStats());
                assertThat(result.dropped()).as(name).isZero();
                assertInvariants(snapshot, result);
            }
        }
    }

    @Provide
    Arbitrary<List<Long>> proposals()
    {
        return Arbitraries.oneOf(Arbitraries.longs().between(-10, 3_000_000), Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE))
            .list().ofMaxSize(10);
    }

    @Provide
    Arbitrary<BalloonSnapshot> snapshots()
    {
        return Combinators.combine(domain().list().ofMinSize(1).ofMaxSize(6), Arbitraries.longs().between(0, 2_000_000))
            .as((domains, free) ->
            {
                final List<DomainView> numbered = new ArrayList<>();
                long used = 0;
                for (int i = 0; i < domains.size(); i++)
                {
                    final DomainView d = domains.get(i);
                    numbered.add(new DomainView(i + 1, "dom" + (i + 1), d.memoryKib(), d.currentKib(), d.targetKib(),
                        d.floorKib(), d.maxKib(), d.weight(), d.statsFresh(), d.history()));
                    used += d.currentKib();
                }
                return new BalloonSnapshot(0, new HostPool(used + free, free), numbered);
            });
    }

    private static Arbitrary<DomainView> domain()
    {
        final Arbitrary<Long> maxPages = Arbitraries.longs().between(1, 500_000);
        return Combinators.combine(maxPages, Arbitraries.doubles().between(0, 1), Arbitraries.doubles().between(0, 1.2),
            Arbitraries.doubles().between(0, 1), Arbitraries.integers().between(1, 65535), Arbitraries.of(true, false),
            sample().list().ofMaxSize(12))
            .as((pages, floor, cur, target, weight, fresh, history) ->
            {
                final long max = pages * PAGE;
                return new DomainView(1, "d", max, (long)(cur * pages) * PAGE, (long)(target * pages) * PAGE,
                    (long)(floor * pages) * PAGE, max, weight, fresh, history);
            });
    }

    private static Arbitrary<StatsSample> sample()
    {
        final Arbitrary<Long> kib = Arbitraries.oneOf(Arbitraries.longs().between(0, 2_500_000),
            Arbitraries.of(-1L, Long.MAX_VALUE, Long.MIN_VALUE));
        final Arbitrary<Long> counter = Arbitraries.longs().between(0, 1_000);
        return Combinators.combine(kib, kib, kib, kib, kib, counter, kib, kib)
            .as((total, free, cache, ws, floor, stalls, request, sequence) -> new StatsSample(sequence, 0, total, free,
                free, cache, ws, 0, 0, 0, 0, stalls, floor, request));
    }

    private static void assertInvariants(final BalloonSnapshot snapshot, final TargetClamp.Result result)
    {
        assertThat(result.outcomes()).extracting(o -> o.view().domid())
            .containsExactlyElementsOf(snapshot.domains().stream().map(DomainView::domid).toList());
        long sum = 0;
        long held = 0;
        boolean grew = false;
        for (final TargetClamp.Outcome outcome : result.outcomes())
        {
            final DomainView view = outcome.view();
            final long target = outcome.targetKib();
            assertThat(target).isBetween(view.floorKib(), view.maxKib()).matches(t -> t % PAGE == 0, "a whole page");
            if (view.statsStatus() != StatsStatus.FRESH && outcome.policyReason() != DecisionReason.CONFIGURED &&
                outcome.policyReason() != DecisionReason.FIXED_TARGET)
            {
                assertThat(target).isLessThanOrEqualTo(Math.max(view.floorKib(), Math.max(view.currentKib(), view.targetKib())));
            }
            sum += target;
            held += view.currentKib();
            grew |= target > Math.max(view.currentKib(), view.floorKib());
        }
        if (grew)
        {
            assertThat(sum).isLessThanOrEqualTo(held + snapshot.host().freeKib());
        }
    }
}
