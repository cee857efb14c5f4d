package org.coopvm.balloon.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code proportional-share}: ESX Server's share-based allocation with the idle memory tax
 * (Waldspurger, "Memory Resource Management in VMware ESX Server", OSDI 2002, section 5).
 *
 * <p>A domain's adjusted shares-per-page ratio is {@code rho = S / (P * (f + k * (1 - f)))} with
 * {@code S} its weight (shares), {@code P} its pages, {@code f} its active fraction and
 * {@code k = 1 / (1 - tau)}; equivalently {@code S / (active + k * idle)}: an idle page costs
 * {@code k} active ones (4 at the default {@code tau} = 0.75). {@code tau} = 0 is pure
 * share-based allocation ({@code rho = S / P}).
 *
 * <p>Each round, planning from current memory in steps of {@code chunk_kib}:
 * <ol>
 *   <li>While the pool's free memory is below {@code min_free_percent} of it (ESX's "high"
 *       free-memory state, 6%), reclaim a step from the domain with the lowest {@code rho}
 *       (min-funding revocation), never below its floor.</li>
 *   <li>Then, while a domain has demand, give a step to the one with the highest {@code rho}:
 *       from the pool above that reserve while there is some, else from the lowest-{@code rho}
 *       other domain, but only while that lender's {@code rho} stays below the receiver's after
 *       the step (so no memory moves back and forth).</li>
 * </ol>
 *
 * <p>{@code f} comes from the guest's working-set estimate ({@code active = min(ws, P)}), or,
 * when the guest gives none, from {@code total - free - cache}. An estimate above current memory
 * counts as wholly active and sets the demand. ESX measures activity by
 * sampling; CoopVM cannot see guest accesses, so a domain whose stats are not fresh is taxed as
 * wholly idle (reporting is in its interest) and has no demand. A domain has demand when its
 * memory is below {@code active * (1 + ws_headroom)} (at most maxmem), or below its current
 * memory plus a step when its allocation stalls grew since the previous sample.
 *
 * <p>Thread safety: the engine's thread (stateless).
 */
public final class ProportionalSharePolicy implements BalloonPolicy
{
    private static final int MAX_STEPS = 1_000_000;

    private final Settings settings;
    private final double k;

    /**
     * @param tau            the idle memory tax rate, 0 <= tau < 1.
     * @param minFreePercent pool fraction kept free (reclaim below it, give only above it).
     * @param chunkKib       memory moved per step.
     * @param wsHeadroom     memory wanted above the working set, as a fraction of it.
     */
    public record Settings(double tau, double minFreePercent, long chunkKib, double wsHeadroom)
    {
        /** ESX's tax rate and free-memory threshold; 4 MiB steps; 25% headroom. */
        public static final Settings DEFAULTS = new Settings(0.75, 0.06, 4096, 0.25);
    }

    /** @param settings the settings (validated by the factory). */
    public ProportionalSharePolicy(final Settings settings)
    {
        this.settings = settings;
        this.k = 1.0 / (1.0 - settings.tau());
    }

    @Override
    public List<BalloonDecision> decide(final BalloonSnapshot snapshot)
    {
        final Plan plan = new Plan(snapshot);
        final long reserve = (long)Math.ceil(settings.minFreePercent() * snapshot.host().totalKib());
        long available = snapshot.host().freeKib() - reserve;
        available = reclaim(plan, available);
        rebalance(plan, available);
        final List<BalloonDecision> decisions = new ArrayList<>(plan.size());
        for (int i = 0; i < plan.size(); i++)
        {
            decisions.add(decision(plan, i, snapshot.host(), reserve));
        }
        return decisions;
    }

    /**
     * @param view a domain.
     * @param pagesKib its memory.
     * @return its adjusted shares per KiB, {@code rho}, at that memory.
     */
    public double rho(final DomainView view, final long pagesKib)
    {
        return rho(view.weight(), activeKib(view), pagesKib);
    }

    private long reclaim(final Plan plan, final long available)
    {
        long left = available;
        for (int steps = 0; left < 0 && steps < MAX_STEPS; steps++)
        {
            final int lender = plan.lowestRho(-1);
            if (lender < 0)
            {
                break;
            }
            final long take = Math.min(Math.min(settings.chunkKib(), plan.spare(lender)), -left);
            plan.kib[lender] -= take;
            left += take;
        }
        return left;
    }

    private void rebalance(final Plan plan, final long available)
    {
        long left = available;
        for (int steps = 0; steps < MAX_STEPS; steps++)
        {
            final int taker = plan.highestRhoWithDemand();
            if (taker < 0)
            {
                return;
            }
            final long step = Math.min(settings.chunkKib(), plan.want[taker] - plan.kib[taker]);
            if (left > 0)
            {
                final long given = Math.min(step, left);
                plan.kib[taker] += given;
                left -= given;
                continue;
            }
            final int lender = plan.lowestRho(taker);
            final long moved = lender < 0 ? 0 : Math.min(step, plan.spare(lender));
            if (moved == 0 || plan.rho(lender, plan.kib[lender] - moved) >= plan.rho(taker, plan.kib[taker] + moved))
            {
                plan.blocked[taker] = true;
                continue;
            }
            plan.kib[lender] -= moved;
            plan.kib[taker] += moved;
        }
    }

    private BalloonDecision decision(final Plan plan, final int i, final HostPool host, final long reserve)
    {
        final DomainView view = plan.views.get(i);
        final long cur = view.currentKib();
        final long target = plan.kib[i];
        final String figures = String.format(Locale.ROOT, "rho %.3g shares/MiB at %d KiB (shares %d, active %d KiB, k %.2f)",
            plan.rho(i, cur) * 1024, cur, view.weight(), plan.active[i], k);
        if (target < cur)
        {
            return new BalloonDecision(view.domid(), target, DecisionReason.IDLE_TAX_RECLAIM, figures +
                ": lowest rho; reclaim " + (cur - target) + " KiB (pool free " + host.freeKib() + ", keep " + reserve + ")");
        }
        if (target > cur)
        {
            return new BalloonDecision(view.domid(), target, DecisionReason.SHARE_GRANT, figures +
                ": highest rho with demand (wants " + plan.want[i] + " KiB); grant " + (target - cur) + " KiB");
        }
        if (view.statsStatus() != StatsStatus.FRESH)
        {
            return BalloonDecision.keepForStats(view);
        }
        return new BalloonDecision(view.domid(), cur, DecisionReason.SHARE_HOLD, figures + ": holds its share");
    }

    private double rho(final int shares, final long activeKib, final long pagesKib)
    {
        final long active = Math.min(activeKib, pagesKib);
        final double cost = active + k * (pagesKib - active);
        return cost <= 0 ? Double.POSITIVE_INFINITY : shares / cost;
    }

    private long activeKib(final DomainView view)
    {
        if (view.statsStatus() != StatsStatus.FRESH)
        {
            return 0;
        }
        final StatsSample latest = view.latest();
        return latest.hasWorkingSet() ? latest.workingSetKib() : latest.committedKib();
    }

    private long wantKib(final DomainView view)
    {
        if (view.statsStatus() != StatsStatus.FRESH)
        {
            return 0;
        }
        long want = (long)Math.ceil(activeKib(view) * (1 + settings.wsHeadroom()));
        if (view.latestIncrease(StatsSample::allocStalls) > 0)
        {
            want = Math.max(want, view.currentKib() + settings.chunkKib());
        }
        return Math.min(want, view.maxKib());
    }

    /** The round's working figures, one slot per domain in snapshot order. */
    private final class Plan
    {
        final List<DomainView> views;
        final long[] kib;
        final long[] active;
        final long[] want;
        final boolean[] blocked;

        Plan(final BalloonSnapshot snapshot)
        {
            views = snapshot.domains();
            kib = new long[views.size()];
            active = new long[views.size()];
            want = new long[views.size()];
            blocked = new boolean[views.size()];
            for (int i = 0; i < views.size(); i++)
            {
                kib[i] = views.get(i).currentKib();
                active[i] = activeKib(views.get(i));
                want[i] = wantKib(views.get(i));
            }
        }

        int size()
        {
            return views.size();
        }

        double rho(final int i, final long pagesKib)
        {
            return ProportionalSharePolicy.this.rho(views.get(i).weight(), active[i], pagesKib);
        }

        long spare(final int i)
        {
            return Math.max(0, kib[i] - views.get(i).floorKib());
        }

        /** @return the domain other than {@code except} with memory above its floor and the lowest rho (lowest domid on ties), or -1. */
        int lowestRho(final int except)
        {
            int best = -1;
            for (int i = 0; i < kib.length; i++)
            {
                if (i != except && spare(i) > 0 && (best < 0 || rho(i, kib[i]) < rho(best, kib[best])))
                {
                    best = i;
                }
            }
            return best;
        }

        /** @return the unblocked domain below its want with the highest rho (lowest domid on ties), or -1. */
        int highestRhoWithDemand()
        {
            int best = -1;
            for (int i = 0; i < kib.length; i++)
            {
                if (!blocked[i] && kib[i] < want[i] && (best < 0 || rho(i, kib[i]) > rho(best, kib[best])))
                {
                    best = i;
                }
            }
            return best;
        }
    }
}
