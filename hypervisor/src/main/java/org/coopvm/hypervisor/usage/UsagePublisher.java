package org.coopvm.hypervisor.usage;

import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.coopvm.rings.balloon.BalloonStatsRead;
import org.coopvm.rings.balloon.BalloonStatsReader;
import org.coopvm.rings.balloon.StatTag;
import org.coopvm.rings.balloon.StatsFreshness;
import org.coopvm.rings.usage.DomainCpu;
import org.coopvm.rings.usage.DomainUsage;
import org.coopvm.rings.usage.HostUsage;
import org.coopvm.rings.usage.UsageEntryDescriptor;
import org.coopvm.rings.usage.UsagePageDescriptor;
import org.coopvm.rings.usage.UsagePageWriter;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The usage page's publisher (DESIGN section 7): each time its period has elapsed,
 * {@link #doWork()} takes every domain's memory from the {@link DomainUsageSource}, the pool from
 * the {@link HostMemorySource}, the CPU figures from the {@link CpuUsageSource} (usage over the
 * period and the host's load computed from their running totals, {@link CpuUsage}), reads and classifies each guest's balloon stats (one
 * {@link BalloonStatsReader} per domain), and publishes the page. Between periods it does nothing
 * and its idle strategy ({@link UsageIdleStrategy}) sleeps until the next one, so an idle host
 * wakes once per period.
 *
 * <p>The guest-reported numbers go on the page as claims for cooperating guests and policies;
 * nothing in the host decides anything about safety (reservations, the pool, maxmem) from them.
 * Invalid stats are counted ({@link #invalidStatsReads()}) and shown as invalid with no values.
 *
 * <p>Thread safety: {@link #doWork()} from one thread (its agent runner, or a test);
 * {@link #hostMemory}, {@link #cpu}, {@link #stats}, the counters and {@link #nanosUntilDue()} from any thread.
 */
public final class UsagePublisher implements Agent
{
    private final UsagePageWriter writer;
    private final DomainUsageSource domains;
    private final NanoClock clock;
    private final UsageConfig config;
    private final long periodNs;
    private final Int2ObjectHashMap<StatsSlot> slots = new Int2ObjectHashMap<>();
    private final Map<Integer, BalloonStatsRead> latest = new ConcurrentHashMap<>();
    private final AtomicLong publishes = new AtomicLong();
    private final AtomicLong invalidStatsReads = new AtomicLong();
    private final CpuUsage cpuUsage = new CpuUsage();
    private volatile HostMemorySource hostMemory = HostMemorySource.UNKNOWN;
    private volatile CpuUsageSource cpu = CpuUsageSource.NONE;
    private volatile long nextDueNs;
    private volatile boolean published;
    private long round;

    /**
     * @param usagePayload the USAGE region's payload (dom0's writable mapping).
     * @param domains      the domains' memory numbers.
     * @param clock        the host clock (CLOCK_MONOTONIC ns in production; guests compare it with theirs).
     * @param config       period, capacity and stale limit.
     */
    public UsagePublisher(final MemorySegment usagePayload, final DomainUsageSource domains, final NanoClock clock, final UsageConfig config)
    {
        this.writer = new UsagePageWriter().wrap(usagePayload, config.capacity());
        this.domains = domains;
        this.clock = clock;
        this.config = config;
        this.periodNs = TimeUnit.MILLISECONDS.toNanos(config.periodMs());
    }

    /** @param source where the pool numbers come from from the next publish on. */
    public void hostMemory(final HostMemorySource source)
    {
        hostMemory = source;
    }

    /** @param source where the CPU figures come from from the next publish on (the CPU scheduler's books). */
    public void cpu(final CpuUsageSource source)
    {
        cpu = source;
    }

    @Override
    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        if (published && nowNs - nextDueNs < 0)
        {
            return 0;
        }
        publish(nowNs);
        nextDueNs = nowNs + periodNs;
        published = true;
        return 1;
    }

    @Override
    public String roleName()
    {
        return "usage-publisher";
    }

    /** @return ns until the next publish is due (0 when due now); what the idle strategy sleeps. */
    public long nanosUntilDue()
    {
        return published ? Math.max(0, nextDueNs - clock.nanoTime()) : 0;
    }

    /** @return the period, ns. */
    public long periodNs()
    {
        return periodNs;
    }

    /** @return pages published. */
    public long publishes()
    {
        return publishes.get();
    }

    /** @return balloon stats reads classified invalid (a guest lying, or writing nonstop). */
    public long invalidStatsReads()
    {
        return invalidStatsReads.get();
    }

    /**
     * @param domid a domain.
     * @return how its balloon stats were classified at the last publish, empty for an unknown domain.
     */
    public Optional<BalloonStatsRead> stats(final int domid)
    {
        return Optional.ofNullable(latest.get(domid));
    }

    private void publish(final long nowNs)
    {
        round++;
        final List<DomainMemory> rows = domains.domains();
        final CpuUsageSource cpuSource = cpu;
        final int loadPermille = cpuUsage.update(cpuSource.domains(), cpuSource.slots(), nowNs);
        final List<DomainUsage> entries = new ArrayList<>(rows.size());
        for (final DomainMemory row : rows)
        {
            entries.add(entry(row, readStats(row, nowNs), cpuUsage.of(row.domid())));
        }
        forgetGone(rows);
        final HostMemorySource pool = hostMemory;
        writer.publish(nowNs, (int)config.periodMs(), pool.isKnown() ? 0 : UsagePageDescriptor.FLAG_POOL_UNKNOWN,
            new HostUsage(pool.poolTotalKib(), pool.poolFreeKib(), cpuSource.slots(), loadPermille), entries);
        publishes.incrementAndGet();
    }

    private BalloonStatsRead readStats(final DomainMemory row, final long nowNs)
    {
        if (row.balloonStats() == null)
        {
            latest.put(row.domid(), BalloonStatsRead.NONE);
            return BalloonStatsRead.NONE;
        }
        StatsSlot slot = slots.get(row.domid());
        if (slot == null || slot.reader.payload() != row.balloonStats())
        {
            slot = new StatsSlot(new BalloonStatsReader(config.stalePeriods(), BalloonStatsReader.DEFAULT_FUTURE_TOLERANCE_NS)
                .wrap(row.balloonStats()));
            slots.put(row.domid(), slot);
        }
        slot.round = round;
        final BalloonStatsRead read = slot.reader.read(nowNs, row.maxKib());
        if (read.freshness() == StatsFreshness.INVALID)
        {
            invalidStatsReads.incrementAndGet();
        }
        latest.put(row.domid(), read);
        return read;
    }

    private void forgetGone(final List<DomainMemory> rows)
    {
        slots.values().removeIf(slot -> slot.round != round);
        final Set<Integer> present = new HashSet<>();
        rows.forEach(row -> present.add(row.domid()));
        latest.keySet().retainAll(present);
    }

    private static DomainUsage entry(final DomainMemory row, final BalloonStatsRead stats, final DomainCpu cpu)
    {
        final boolean shown = stats.freshness().hasValues();
        return new DomainUsage(row.domid(), row.flags(), row.currentKib(), row.targetKib(), row.minKib(), row.maxKib(),
            shown ? stats.stats().kib(StatTag.FREE) : 0,
            shown ? stats.stats().workingSetKib() : 0,
            shown ? (int)Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(stats.ageNs())) : UsageEntryDescriptor.NO_STATS_AGE,
            stats.freshness(),
            cpu);
    }

    /** One domain's reader and the publish round it was last seen in. */
    private static final class StatsSlot
    {
        private final BalloonStatsReader reader;
        private long round;

        StatsSlot(final BalloonStatsReader reader)
        {
            this.reader = reader;
        }
    }
}
