package org.coopvm.balloon.testing;

import org.coopvm.balloon.engine.SnapshotSource;
import org.coopvm.balloon.engine.TargetSink;
import org.coopvm.balloon.policy.BalloonSnapshot;
import org.coopvm.balloon.policy.DomainView;
import org.coopvm.balloon.policy.HostPool;
import org.coopvm.balloon.policy.StatsSample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;

/**
 * A host in a few lines for policy scenarios: a pool, guests whose balloon reaches each new
 * target before the next round (or moves a bounded amount per round), and whose stats follow
 * their memory (free = current - used - cache). It is the engine's snapshot source and target sink.
 */
public final class SimulatedHost implements SnapshotSource, TargetSink
{
    private static final int HISTORY = 10;

    private final long poolKib;
    private final Map<Integer, Guest> guests = new LinkedHashMap<>();
    private long balloonSpeedKib = Long.MAX_VALUE;

    /** @param poolKib the pool size. */
    public SimulatedHost(final long poolKib)
    {
        this.poolKib = poolKib;
    }

    /**
     * @param domid   the domain.
     * @param curKib  its memory now (and its configured memory).
     * @param maxKib  its maxmem.
     * @param usedKib memory its workload uses (not caches).
     * @return the guest, to adjust.
     */
    public Guest add(final int domid, final long curKib, final long maxKib, final long usedKib)
    {
        final Guest guest = new Guest(domid, curKib, maxKib, usedKib);
        guests.put(domid, guest);
        return guest;
    }

    /** @param speedKib the most a balloon moves per round (default: all the way). */
    public void balloonSpeed(final long speedKib)
    {
        balloonSpeedKib = speedKib;
    }

    /**
     * @param domid a domain.
     * @return the guest.
     */
    public Guest guest(final int domid)
    {
        return guests.get(domid);
    }

    /** @return the pool's free memory. */
    public long freeKib()
    {
        long used = 0;
        for (final Guest guest : guests.values())
        {
            used += guest.curKib;
        }
        return poolKib - used;
    }

    @Override
    public BalloonSnapshot snapshot(final long nowNs)
    {
        final List<DomainView> views = new ArrayList<>();
        for (final Guest guest : guests.values())
        {
            guest.moveBalloon(balloonSpeedKib);
            guest.pushSample(nowNs);
            views.add(guest.view());
        }
        return new BalloonSnapshot(nowNs, new HostPool(poolKib, Math.max(0, freeKib())), views);
    }

    @Override
    public boolean applyTarget(final int domid, final long targetKib)
    {
        guests.get(domid).targetKib = targetKib;
        return true;
    }

    /** One simulated guest. */
    public static final class Guest
    {
        /** {@link #workingSet} value: report what the workload uses, even beyond current memory. */
        public static final long NEEDS = -2;

        private final int domid;
        private final long memoryKib;
        private final long maxKib;
        private final List<StatsSample> history = new ArrayList<>();
        private long curKib;
        private long targetKib;
        private long usedKib;
        private long cacheKib;
        private long workingSetKib = StatsSample.UNKNOWN;
        private long floorKib;
        private int weight = DomainView.DEFAULT_WEIGHT;
        private long requestKib;
        private long sequence;
        private boolean reporting = true;
        private LongUnaryOperator freeLie = LongUnaryOperator.identity();

        Guest(final int domid, final long curKib, final long maxKib, final long usedKib)
        {
            this.domid = domid;
            this.memoryKib = curKib;
            this.maxKib = maxKib;
            this.curKib = curKib;
            this.targetKib = curKib;
            this.usedKib = usedKib;
        }

        /** @param kib memory the workload uses now. @return this. */
        public Guest used(final long kib)
        {
            usedKib = kib;
            return this;
        }

        /** @param kib reclaimable cache. @return this. */
        public Guest cache(final long kib)
        {
            cacheKib = kib;
            return this;
        }

        /** @param kib working set estimate, {@link StatsSample#UNKNOWN} or {@link #NEEDS}. @return this. */
        public Guest workingSet(final long kib)
        {
            workingSetKib = kib;
            return this;
        }

        /** @param kib floor (minmem). @return this. */
        public Guest floor(final long kib)
        {
            floorKib = kib;
            return this;
        }

        /** @param shares memory weight. @return this. */
        public Guest weight(final int shares)
        {
            weight = shares;
            return this;
        }

        /** @param kib cooperative request. @return this. */
        public Guest request(final long kib)
        {
            requestKib = kib;
            return this;
        }

        /** @param on whether the guest pushes new samples. @return this. */
        public Guest reporting(final boolean on)
        {
            reporting = on;
            return this;
        }

        /** @param lie what the guest reports as free, given the truth. @return this. */
        public Guest freeLie(final LongUnaryOperator lie)
        {
            freeLie = lie;
            return this;
        }

        /** @return its memory now. */
        public long curKib()
        {
            return curKib;
        }

        /** @return its target. */
        public long targetKib()
        {
            return targetKib;
        }

        /** @return its free memory now (true, not reported). */
        public long freeKib()
        {
            return Math.max(0, curKib - usedKib - cacheNowKib());
        }

        /** @return its cache now: what fits beside the workload (caches shrink under pressure). */
        public long cacheNowKib()
        {
            return Math.min(cacheKib, Math.max(0, curKib - usedKib));
        }

        void moveBalloon(final long speedKib)
        {
            final long step = Math.min(speedKib, Math.abs(targetKib - curKib));
            curKib += targetKib > curKib ? step : -step;
        }

        void pushSample(final long nowNs)
        {
            if (!reporting)
            {
                return;
            }
            sequence++;
            final long free = freeLie.applyAsLong(freeKib());
            final long cache = cacheNowKib();
            final long workingSet = workingSetKib == NEEDS ? usedKib : workingSetKib;
            final StatsSample sample = new StatsSample(sequence, nowNs, curKib, free, Math.min(curKib, free + cache),
                cache, workingSet, 0, 0, 0, 0, 0, 0, requestKib);
            history.add(sample);
            if (history.size() > HISTORY)
            {
                history.removeFirst();
            }
        }

        DomainView view()
        {
            return new DomainView(domid, "dom" + domid, memoryKib, curKib, targetKib, floorKib, maxKib, weight,
                reporting && !history.isEmpty(), history);
        }
    }
}
