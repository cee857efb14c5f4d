package org.coopvm.balloon.host;

import org.agrona.concurrent.NanoClock;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.api.ConvergenceOutcome;
import org.coopvm.hypervisor.api.ConvergenceReport;
import org.coopvm.hypervisor.config.ConvergenceConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.hypervisor.usage.UsageConfig;
import org.coopvm.hypervisor.xenstore.XenstoredAccess;
import org.coopvm.rings.balloon.BalloonStatsSample;
import org.coopvm.rings.balloon.BalloonStatsWriter;
import org.coopvm.rings.balloon.StatTag;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hypervisor without threads, a convergence tracker driven by hand on a manual clock, and a
 * fake guest: the test moves a domain's reservation with the hypervisor's own
 * {@code decrease_reservation} / {@code populate_physmap} and publishes its balloon stats.
 */
final class ConvergenceRig implements AutoCloseable
{
    static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    static final long EPOCH_MS = 1_700_000_000_000L;

    final AtomicLong nowNs = new AtomicLong(5_000_000_000L);
    final NanoClock clock = nowNs::get;
    final Hypervisor hypervisor;
    final XenstoredAccess dom0;
    final ConvergenceTracker tracker;
    final List<ConvergenceReport> heard = new ArrayList<>();
    private final Map<Integer, BalloonStatsWriter> writers = new HashMap<>();

    ConvergenceRig(final long poolMib, final ConvergenceConfig config)
    {
        hypervisor = new Hypervisor(HypervisorConfig.defaults(null).withNanoClock(clock).withPoolPages(poolMib * 256),
            UsageConfig.DEFAULTS.withPeriodMs(10));
        dom0 = XenstoredAccess.dom0(hypervisor.xenstored(), () -> { });
        tracker = new ConvergenceTracker(hypervisor, config, clock, () -> EPOCH_MS, heard::add);
        hypervisor.addLifecycleListener(tracker);
    }

    Domain domain(final String name, final long memoryMib, final long maxmemMib, final long minmemMib)
    {
        final Domain domain = hypervisor.createDomain(new DomainSpec(name, 1, memoryMib * 1024, maxmemMib * 1024, minmemMib * 1024,
            true, "idle", Map.of(), DomainSpec.MAX_GRANT_FRAMES, DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES,
            DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES));
        step();
        return domain;
    }

    void writeTarget(final Domain domain, final String text)
    {
        dom0.write(DomainNodes.path(domain.domid(), DomainNodes.TARGET), text);
    }

    void advanceMs(final long ms)
    {
        nowNs.addAndGet(ms * MS);
    }

    /** One duty cycle of the usage publisher (classifies stats) and of the tracker. */
    void step()
    {
        hypervisor.usagePublisher().doWork();
        tracker.doWork();
    }

    /** Advance in poll-sized steps, running a duty cycle after each. */
    void run(final long ms, final long stepMs)
    {
        for (long done = 0; done < ms; done += stepMs)
        {
            advanceMs(stepMs);
            step();
        }
    }

    long pages(final Domain domain)
    {
        return domain.memory().physmap().populatedPages();
    }

    /** The guest gives back its highest frames until it holds {@code pages}. */
    long shrinkTo(final Domain domain, final long pages)
    {
        final BitSet populated = domain.memory().physmap().populatedFrames();
        final int count = (int)(pages(domain) - pages);
        final long[] gpfns = new long[count];
        int frame = populated.length();
        for (int i = 0; i < count; i++)
        {
            frame = populated.previousSetBit(frame - 1);
            gpfns[i] = frame;
        }
        return hypervisor.locked(() -> hypervisor.reservations().decreaseReservation(domain.domid(), domain.memory(), gpfns, count, 0));
    }

    /** The guest asks for its lowest unpopulated frames until it holds {@code pages}. */
    long growTo(final Domain domain, final long pages)
    {
        final BitSet populated = domain.memory().physmap().populatedFrames();
        final int count = (int)(pages - pages(domain));
        final long[] gpfns = new long[count];
        int frame = -1;
        for (int i = 0; i < count; i++)
        {
            frame = populated.nextClearBit(frame + 1);
            gpfns[i] = frame;
        }
        return hypervisor.locked(() -> hypervisor.reservations().populatePhysmap(domain.domid(), domain.memory(), gpfns, count, 0));
    }

    /** The guest publishes fresh stats declaring {@code floorKib} (0: none). */
    void stats(final Domain domain, final long floorKib)
    {
        stats(domain, floorKib, 0);
    }

    void stats(final Domain domain, final long floorKib, final long requestKib)
    {
        final BalloonStatsWriter writer = writers.computeIfAbsent(domain.domid(),
            id -> new BalloonStatsWriter().wrap(domain.balloonStats()));
        final long totalBytes = pages(domain) * 4096;
        writer.publish(new BalloonStatsSample().set(StatTag.TOTAL, totalBytes).set(StatTag.FREE, totalBytes / 2).floorKib(floorKib)
            .requestKib(requestKib), clock.nanoTime(), 1000);
    }

    String reportNode(final Domain domain)
    {
        return dom0.read(DomainNodes.path(domain.domid(), DomainNodes.BALLOON_REPORT)).orElse(null);
    }

    ConvergenceReport last()
    {
        return heard.isEmpty() ? null : heard.getLast();
    }

    List<ConvergenceOutcome> outcomes()
    {
        return heard.stream().map(ConvergenceReport::outcome).toList();
    }

    @Override
    public void close()
    {
        tracker.close();
        dom0.close();
        hypervisor.close();
    }
}
