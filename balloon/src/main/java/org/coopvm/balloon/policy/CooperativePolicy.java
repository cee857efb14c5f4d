package org.coopvm.balloon.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * {@code cooperative}: the guests decide. A guest reads the usage page (every domain's memory and
 * the host's free pool) and publishes a request with its stats: more than 0 asks for that much
 * above the total of the same sample, less than 0 volunteers that much back (see
 * {@link StatsSample#requestKib()}). Requests are relative to the sample's own total, so a
 * request the guest has not withdrawn yet is not granted twice.
 *
 * <p>Each round: volunteers get {@code total + request} (not below their floor or declared
 * floor); what they give back joins the pool. Requests are capped at maxmem
 * ({@link DecisionReason#ABOVE_MAXMEM}) and granted from the pool above
 * {@code host_reserve_percent}: in full when it covers them all, else shared by weight
 * (weighted max-min fairness: no guest gets more than it asked, and what one does not need is
 * shared among the others), rounded down to 4 KiB pages. A request the pool cannot cover at all
 * is refused with the pool's figures ({@link DecisionReason#GUEST_REQUEST_REFUSED}). Growth
 * already promised (a domain keeping a target above what it holds) is not free: it is taken off
 * the pool before requests are shared, so one round never grants the same free memory twice. The
 * host never takes memory a guest did not volunteer; guests without a request, or without fresh
 * stats, keep their target.
 *
 * <p>Thread safety: the engine's thread (stateless).
 */
public final class CooperativePolicy implements BalloonPolicy
{
    private static final long PAGE_KIB = 4;

    private final double hostReservePercent;

    /** @param hostReservePercent pool fraction never granted (validated by the factory). */
    public CooperativePolicy(final double hostReservePercent)
    {
        this.hostReservePercent = hostReservePercent;
    }

    @Override
    public List<BalloonDecision> decide(final BalloonSnapshot snapshot)
    {
        final List<DomainView> views = snapshot.domains();
        final BalloonDecision[] decisions = new BalloonDecision[views.size()];
        final long[] needKib = new long[views.size()];
        final long reserve = (long)Math.ceil(hostReservePercent * snapshot.host().totalKib());
        long pool = snapshot.host().freeKib() - reserve;
        for (int i = 0; i < views.size(); i++)
        {
            final DomainView view = views.get(i);
            if (view.statsStatus() != StatsStatus.FRESH)
            {
                decisions[i] = BalloonDecision.keepForStats(view);
            }
            else if (view.latest().requestKib() < 0)
            {
                decisions[i] = volunteer(view);
                pool += Math.max(0, view.currentKib() - decisions[i].targetKib());
            }
            else if (view.latest().requestKib() == 0)
            {
                decisions[i] = BalloonDecision.keep(view, DecisionReason.NO_CHANGE, "no request");
            }
            else
            {
                needKib[i] = need(view);
            }
        }
        final long promised = promised(views, decisions, needKib);
        final long[] grantKib = share(views, needKib, Math.max(0, pool - promised));
        for (int i = 0; i < views.size(); i++)
        {
            if (decisions[i] == null)
            {
                decisions[i] = grant(views.get(i), needKib[i], grantKib[i], new Pool(snapshot.host().freeKib(), reserve, promised));
            }
        }
        return Arrays.asList(decisions);
    }

    /**
     * Growth already promised and not yet populated: domains that keep a target above what they
     * hold will take that much of the free pool, so it cannot be granted again.
     */
    private static long promised(final List<DomainView> views, final BalloonDecision[] decisions, final long[] needKib)
    {
        long promised = 0;
        for (int i = 0; i < views.size(); i++)
        {
            final DomainView view = views.get(i);
            if (decisions[i] != null || needKib[i] == 0)
            {
                final long kept = decisions[i] == null ? view.targetKib() : decisions[i].targetKib();
                promised += Math.max(0, kept - view.currentKib());
            }
        }
        return promised;
    }

    private static BalloonDecision volunteer(final DomainView view)
    {
        final StatsSample latest = view.latest();
        final long floor = Math.max(view.floorKib(), latest.guestFloorKib());
        final long offered = latest.requestKib() == Long.MIN_VALUE ? Long.MAX_VALUE : -latest.requestKib();
        final long target = Math.max(floor, latest.totalKib() - Math.min(offered, latest.totalKib()));
        final String why = "volunteered " + offered + " KiB of total " + latest.totalKib();
        if (target >= view.currentKib())
        {
            return BalloonDecision.keep(view, DecisionReason.NO_CHANGE, why + ", already given");
        }
        return new BalloonDecision(view.domid(), target, DecisionReason.GUEST_VOLUNTEERED,
            why + " -> " + target + (target == floor ? " (floor)" : ""));
    }

    /** @return what the guest's request needs beyond its current memory, up to maxmem. */
    private static long need(final DomainView view)
    {
        final StatsSample latest = view.latest();
        final long wanted = Math.min(view.maxKib(), latest.totalKib() + Math.min(latest.requestKib(), view.maxKib()));
        return Math.max(0, wanted - view.currentKib());
    }

    private static BalloonDecision grant(final DomainView view, final long need, final long grant, final Pool pool)
    {
        final StatsSample latest = view.latest();
        final String request = "asked " + latest.requestKib() + " KiB above total " + latest.totalKib();
        if (need == 0)
        {
            return BalloonDecision.keep(view, DecisionReason.NO_CHANGE, request + ", already holds it");
        }
        final long target = view.currentKib() + grant;
        final String beyondMax = latest.requestKib() > view.maxKib() - latest.totalKib() ? ", capped at maxmem " + view.maxKib() : "";
        if (grant == need)
        {
            return new BalloonDecision(view.domid(), target, beyondMax.isEmpty() ? DecisionReason.GUEST_REQUEST_GRANTED :
                DecisionReason.ABOVE_MAXMEM, request + beyondMax + ": granted " + grant + " KiB");
        }
        if (grant == 0)
        {
            return BalloonDecision.keep(view, DecisionReason.GUEST_REQUEST_REFUSED, request + ": refused, " + pool + beyondMax);
        }
        return new BalloonDecision(view.domid(), target, DecisionReason.GUEST_REQUEST_PARTIAL,
            request + ": granted " + grant + " of " + need + " KiB by weight " + view.weight() + ", " + pool + beyondMax);
    }

    /** The pool's figures a partial grant or a refusal names, KiB. */
    private record Pool(long freeKib, long reserveKib, long promisedKib)
    {
        @Override
        public String toString()
        {
            return "pool free " + freeKib + " KiB, reserve " + reserveKib + " KiB" +
                (promisedKib > 0 ? ", promised to growing domains " + promisedKib + " KiB" : "");
        }
    }

    /**
     * Weighted max-min fair shares: in order of need per weight, each gets the smaller of its need
     * and its weight's share of what is left.
     */
    private static long[] share(final List<DomainView> views, final long[] need, final long pool)
    {
        final long[] grant = new long[need.length];
        final List<Integer> order = new ArrayList<>();
        long weights = 0;
        for (int i = 0; i < need.length; i++)
        {
            if (need[i] > 0)
            {
                order.add(i);
                weights += views.get(i).weight();
            }
        }
        order.sort(Comparator.comparingDouble((Integer i) -> (double)need[i] / views.get(i).weight())
            .thenComparingInt(i -> views.get(i).domid()));
        long left = pool;
        for (final int i : order)
        {
            final int weight = views.get(i).weight();
            final long fair = (long)((double)left * weight / weights);
            grant[i] = need[i] <= fair ? need[i] : fair / PAGE_KIB * PAGE_KIB;
            left -= grant[i];
            weights -= weight;
        }
        return grant;
    }
}
