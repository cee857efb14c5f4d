package org.coopvm.balloon.engine;

import org.coopvm.balloon.policy.BalloonDecision;
import org.coopvm.balloon.policy.BalloonSnapshot;
import org.coopvm.balloon.policy.DecisionReason;
import org.coopvm.balloon.policy.DomainView;
import org.coopvm.balloon.policy.StatsStatus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the engine does to a policy's decisions before applying them, whatever the policy: one
 * decision per domain, every target a whole number of 4 KiB pages within the domain's
 * [floor, maxmem], no growth for a domain whose stats are not fresh (when the policy grows on
 * stats), and never more promised than the pool holds. Each change is recorded with its reason.
 *
 * <ol>
 *   <li>Decisions for domains not in the snapshot, and second decisions for one domain, are
 *       dropped (counted). Domains without a decision keep their target
 *       ({@link DecisionReason#NO_CHANGE}) and come after the policy's decisions.</li>
 *   <li>The target is rounded down to a page, then: above maxmem is {@link DecisionReason#ABOVE_MAXMEM};
 *       above {@code max(current, previous target)} for a domain whose stats are stale, missing or
 *       implausible is held there ({@link DecisionReason#STATS_STALE} ...); below the floor is
 *       {@link DecisionReason#BELOW_FLOOR} (the floor wins over everything).</li>
 *   <li>Pool: the sum of all targets may not exceed the sum of current reservations plus the
 *       pool's free memory (what the domains hold plus what nobody holds). When it does, growth
 *       above {@code max(current, floor)} is cut, last decision first
 *       ({@link DecisionReason#HOST_POOL_SHORT}).</li>
 * </ol>
 *
 * <p>Thread safety: stateless; any thread.
 */
public final class TargetClamp
{
    /** KiB per page: targets are whole pages. */
    public static final long PAGE_KIB = 4;

    private TargetClamp()
    {
    }

    /**
     * One domain's decision after clamping.
     *
     * @param view         the domain as the snapshot showed it.
     * @param proposedKib  what the policy proposed.
     * @param targetKib    the clamped target.
     * @param reason       the last clamp's reason, or the policy's.
     * @param policyReason the policy's reason.
     * @param detail       the policy's detail, then each clamp's.
     */
    public record Outcome(DomainView view, long proposedKib, long targetKib, DecisionReason reason,
                          DecisionReason policyReason, String detail)
    {
        Outcome clampTo(final long newTargetKib, final DecisionReason newReason, final String why)
        {
            return new Outcome(view, proposedKib, newTargetKib, newReason, policyReason, detail + "; " + why);
        }
    }

    /**
     * @param outcomes  every domain's outcome, sorted by domid.
     * @param dropped   decisions dropped (unknown domain, or a second one for a domain).
     */
    public record Result(List<Outcome> outcomes, int dropped)
    {
    }

    /**
     * @param snapshot          the round's snapshot.
     * @param decisions         the policy's decisions, in its priority order.
     * @param growsOnGuestStats whether the policy's growth follows guest stats.
     * @return every domain's outcome.
     */
    public static Result clamp(final BalloonSnapshot snapshot, final List<BalloonDecision> decisions,
        final boolean growsOnGuestStats)
    {
        final List<Outcome> outcomes = new ArrayList<>(snapshot.domains().size());
        final Set<Integer> decided = new HashSet<>();
        int dropped = 0;
        for (final BalloonDecision decision : decisions)
        {
            final DomainView view = decision == null ? null : snapshot.domain(decision.domid());
            if (view == null || !decided.add(view.domid()))
            {
                dropped++;
                continue;
            }
            outcomes.add(limits(view, decision, growsOnGuestStats));
        }
        for (final DomainView view : snapshot.domains())
        {
            if (!decided.contains(view.domid()))
            {
                outcomes.add(limits(view, BalloonDecision.keep(view, DecisionReason.NO_CHANGE, "policy made no decision"),
                    growsOnGuestStats));
            }
        }
        fitPool(outcomes, snapshot.host().freeKib());
        outcomes.sort(Comparator.comparingInt(o -> o.view().domid()));
        return new Result(List.copyOf(outcomes), dropped);
    }

    private static Outcome limits(final DomainView view, final BalloonDecision decision, final boolean growsOnGuestStats)
    {
        Outcome outcome = new Outcome(view, decision.targetKib(), Math.max(0, decision.targetKib()) / PAGE_KIB * PAGE_KIB,
            decision.reason(), decision.reason(), decision.detail());
        if (outcome.targetKib() > view.maxKib())
        {
            outcome = outcome.clampTo(view.maxKib(), DecisionReason.ABOVE_MAXMEM, "clamped to maxmem " + view.maxKib() + " KiB");
        }
        final StatsStatus stats = view.statsStatus();
        final long hold = Math.max(view.currentKib(), view.targetKib());
        if (growsOnGuestStats && stats != StatsStatus.FRESH && outcome.targetKib() > hold)
        {
            outcome = outcome.clampTo(hold, stats.reason(), view.statsProblem() + ": no growth, held at " + hold + " KiB");
        }
        if (outcome.targetKib() < view.floorKib())
        {
            outcome = outcome.clampTo(view.floorKib(), DecisionReason.BELOW_FLOOR, "raised to floor " + view.floorKib() + " KiB");
        }
        return outcome;
    }

    private static void fitPool(final List<Outcome> outcomes, final long freeKib)
    {
        long excess = -freeKib;
        for (final Outcome outcome : outcomes)
        {
            excess += outcome.targetKib() - outcome.view().currentKib();
        }
        for (int i = outcomes.size() - 1; i >= 0 && excess > 0; i--)
        {
            final Outcome outcome = outcomes.get(i);
            final long lower = Math.max(outcome.view().currentKib(), outcome.view().floorKib());
            final long room = outcome.targetKib() - lower;
            if (room > 0)
            {
                final long cut = Math.min(room, (excess + PAGE_KIB - 1) / PAGE_KIB * PAGE_KIB);
                outcomes.set(i, outcome.clampTo(outcome.targetKib() - cut, DecisionReason.HOST_POOL_SHORT,
                    "pool short by " + excess + " KiB: cut " + cut + " KiB of growth"));
                excess -= cut;
            }
        }
    }
}
