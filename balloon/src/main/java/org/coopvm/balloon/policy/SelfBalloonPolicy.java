package org.coopvm.balloon.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code selfballoon}: Linux's Xen self-ballooning ({@code drivers/xen/xen-selfballoon.c},
 * {@code selfballoon_process}), run for every guest from its stats. Each round:
 *
 * <ul>
 *   <li>{@code goal = needed + reserve_kib}, or the guest's declared floor when higher. Needed is
 *       what the guest uses for other than caches, {@code total - free - cache} of its latest
 *       sample, or its working-set estimate when that is higher ({@link StatsSample#neededKib()}).
 *       Linux uses {@code Committed_AS}, which CoopVM's guests do not report; both leave clean
 *       caches out, so self-ballooning pushes caches out of the guest. Committed memory cannot
 *       exceed what the guest has, so a guest that reports no working set grows by at most the
 *       reserve per round; one whose estimate says it needs more grows to it at once.</li>
 *   <li>Above the goal the target drops by {@code (cur - goal) / downhysteresis} (8); below it
 *       rises by {@code (goal - cur) / uphysteresis} (1: at once).</li>
 *   <li>Within {@code deadband_kib} of the goal nothing changes, so a goal that jitters by less
 *       does not make the target oscillate (Linux gets a few pages of dead band from integer
 *       division; this one is explicit).</li>
 *   <li>Never below Linux's floor: {@code reserve + min_usable_kib} when that is set, else the
 *       piecewise-linear one of {@code useful = maxmem - reserve}: all of maxmem under 16 MiB
 *       (not worth ballooning), {@code reserve + 16 MiB + (useful - 16 MiB)/2} under 64 MiB,
 *       {@code reserve + 40 MiB + (useful - 40 MiB)/8} under 512 MiB, else
 *       {@code reserve + 99 MiB + (useful - 99 MiB)/32}.</li>
 * </ul>
 *
 * <p>Linux runs this inside the guest every 5 s (this policy's default period); running it on
 * the host from the guest's stats makes it comparable with host-driven policies. A guest without
 * usable stats is left alone.
 *
 * <p>Thread safety: the engine's thread (stateless).
 */
public final class SelfBalloonPolicy implements BalloonPolicy
{
    private static final long MIB = 1024;

    private final Settings settings;

    /**
     * @param reserveKib       Linux's {@code totalreserve_pages}: kept on top of committed memory.
     * @param downHysteresis   divisor of the excess removed per round.
     * @param upHysteresis     divisor of the shortfall added per round.
     * @param minUsableKib     Linux's {@code selfballoon_min_usable_mb} in KiB; 0 for the piecewise floor.
     * @param deadbandKib      no change while within this of the goal.
     */
    public record Settings(long reserveKib, long downHysteresis, long upHysteresis, long minUsableKib, long deadbandKib)
    {
        /** Linux's defaults (8 MiB stands in for totalreserve_pages) and a 1 MiB dead band. */
        public static final Settings DEFAULTS = new Settings(8 * MIB, 8, 1, 0, MIB);
    }

    /** @param settings the settings (validated by the factory). */
    public SelfBalloonPolicy(final Settings settings)
    {
        this.settings = settings;
    }

    @Override
    public List<BalloonDecision> decide(final BalloonSnapshot snapshot)
    {
        final List<BalloonDecision> decisions = new ArrayList<>(snapshot.domains().size());
        for (final DomainView view : snapshot.domains())
        {
            decisions.add(view.statsStatus() == StatsStatus.FRESH ? decide(view) : BalloonDecision.keepForStats(view));
        }
        return decisions;
    }

    /**
     * @param maxKib the domain's maxmem (Linux's {@code max_pfn}).
     * @return the lowest target self-ballooning sets.
     */
    public long floorKib(final long maxKib)
    {
        final long reserve = settings.reserveKib();
        if (settings.minUsableKib() != 0)
        {
            return reserve + settings.minUsableKib();
        }
        final long useful = maxKib - reserve;
        if (useful < 16 * MIB)
        {
            return maxKib;
        }
        if (useful < 64 * MIB)
        {
            return reserve + 16 * MIB + (useful - 16 * MIB) / 2;
        }
        if (useful < 512 * MIB)
        {
            return reserve + 40 * MIB + (useful - 40 * MIB) / 8;
        }
        return reserve + 99 * MIB + (useful - 99 * MIB) / 32;
    }

    private BalloonDecision decide(final DomainView view)
    {
        final StatsSample latest = view.latest();
        final long goal = Math.max(latest.neededKib() + settings.reserveKib(), latest.guestFloorKib());
        final long cur = view.currentKib();
        final String why = "needed " + latest.neededKib() + " + reserve " + settings.reserveKib() +
            " KiB: goal " + goal + ", current " + cur;
        if (Math.abs(cur - goal) <= settings.deadbandKib())
        {
            return BalloonDecision.keep(view, DecisionReason.SELF_AT_GOAL, why + " within " + settings.deadbandKib());
        }
        final long step = cur > goal ? -(cur - goal) / settings.downHysteresis() : (goal - cur) / settings.upHysteresis();
        final long floor = floorKib(view.maxKib());
        final long target = Math.max(floor, cur + step);
        if (target == cur)
        {
            return BalloonDecision.keep(view, DecisionReason.SELF_AT_GOAL, why + ", held at floor " + floor);
        }
        return new BalloonDecision(view.domid(), target, target < cur ? DecisionReason.SELF_SHRINK : DecisionReason.SELF_GROW,
            why + ": step " + step + " KiB -> " + target + (target == floor ? " (floor)" : ""));
    }
}
