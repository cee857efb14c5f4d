package org.coopvm.balloon.testing;

import org.coopvm.balloon.policy.BalloonDecision;
import org.coopvm.balloon.policy.BalloonSnapshot;
import org.coopvm.balloon.policy.DomainView;
import org.coopvm.balloon.policy.HostPool;
import org.coopvm.balloon.policy.StatsSample;

import java.util.ArrayList;
import java.util.List;

/** Small builders for recorded scenarios: domains with stats, snapshots, decision lookup. */
public final class Guests
{
    private Guests()
    {
    }

    /**
     * @param domid   domain id (name "dom" + domid).
     * @param curKib  current, target and configured memory.
     * @param maxKib  maxmem.
     * @param samples its stats, oldest first (fresh when any).
     * @return the view.
     */
    public static DomainView guest(final int domid, final long curKib, final long maxKib, final StatsSample... samples)
    {
        return DomainView.of(domid, "dom" + domid, curKib, maxKib).withStats(samples.length > 0, List.of(samples));
    }

    /**
     * @param total total KiB.
     * @param free  free KiB.
     * @param cache cache KiB.
     * @param ws    working set KiB, or {@link StatsSample#UNKNOWN}.
     * @return one sample (sequence 1).
     */
    public static StatsSample sample(final long total, final long free, final long cache, final long ws)
    {
        return StatsSample.of(1, total, free, cache, ws);
    }

    /**
     * @param count how many identical samples (sequences 1..count).
     * @param total total KiB.
     * @param free  free KiB.
     * @return the samples.
     */
    public static StatsSample[] samples(final int count, final long total, final long free)
    {
        final StatsSample[] samples = new StatsSample[count];
        for (int i = 0; i < count; i++)
        {
            samples[i] = StatsSample.of(i + 1, total, free, 0, StatsSample.UNKNOWN);
        }
        return samples;
    }

    /**
     * @param totalKib pool size.
     * @param freeKib  pool free.
     * @param domains  the domains.
     * @return a snapshot at time 0.
     */
    public static BalloonSnapshot snapshot(final long totalKib, final long freeKib, final DomainView... domains)
    {
        return new BalloonSnapshot(0, new HostPool(totalKib, freeKib), new ArrayList<>(List.of(domains)));
    }

    /**
     * @param decisions decisions.
     * @param domid     a domain.
     * @return its decision.
     */
    public static BalloonDecision decisionFor(final List<BalloonDecision> decisions, final int domid)
    {
        return decisions.stream().filter(d -> d.domid() == domid).findFirst()
            .orElseThrow(() -> new AssertionError("no decision for dom" + domid + " in " + decisions));
    }
}
