package org.coopvm.balloon.host;

import org.coopvm.balloon.engine.SnapshotSource;
import org.coopvm.balloon.engine.StatsHistoryRecorder;
import org.coopvm.balloon.guest.KibValue;
import org.coopvm.balloon.policy.BalloonSnapshot;
import org.coopvm.balloon.policy.DomainView;
import org.coopvm.balloon.policy.HostPool;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainStatus;
import org.coopvm.hypervisor.memory.MemoryPool;
import org.coopvm.hypervisor.memory.Physmap;
import org.coopvm.rings.balloon.BalloonStatsRead;
import org.coopvm.rings.balloon.BalloonStatsReader;
import org.coopvm.rings.balloon.StatsFreshness;
import org.coopvm.rings.xenbus.XenstoreAccess;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;

/**
 * The policy engine's snapshots of a real host. From the hypervisor's books (trusted): each
 * running or paused guest's configured memory, populated pages (current), {@code minmem} (floor,
 * at most its max), max pages (maxmem, or what {@code mem-max} set), and the pool's size and free
 * pages. From xenstore: the target ({@code memory/target}; a value that is not a KiB count counts
 * as the current memory, as the guest ignores it). From the guest (claims): its balloon stats as
 * dom0 last classified them ({@code UsagePublisher.stats(domid)}), kept in a
 * {@link StatsHistoryRecorder}; they are fresh when classified fresh and a new sequence was seen
 * within {@value BalloonStatsReader#DEFAULT_STALE_PERIODS} of the guest's periods (by the host's
 * clock). The memory weight comes from the domain's config ({@code memory_weight}).
 *
 * <p>Thread safety: the engine's thread only.
 */
public final class HypervisorSnapshotSource implements SnapshotSource
{
    private static final long KIB_PER_PAGE = 4;

    private final Hypervisor hypervisor;
    private final XenstoreAccess xenstore;
    private final IntUnaryOperator weights;
    private final StatsHistoryRecorder recorder;
    private final Set<Integer> seen = new HashSet<>();

    /**
     * @param hypervisor the host.
     * @param xenstore   a dom0 connection to read targets.
     * @param weights    each domain's memory weight (1..65535).
     * @param recorder   keeps the stats history.
     */
    public HypervisorSnapshotSource(final Hypervisor hypervisor, final XenstoreAccess xenstore, final IntUnaryOperator weights,
        final StatsHistoryRecorder recorder)
    {
        this.hypervisor = hypervisor;
        this.xenstore = xenstore;
        this.weights = weights;
        this.recorder = recorder;
    }

    @Override
    public BalloonSnapshot snapshot(final long nowNs)
    {
        final List<Row> rows = hypervisor.locked(this::rows);
        final MemoryPool pool = hypervisor.memoryPool();
        final List<DomainView> views = new ArrayList<>(rows.size());
        final Set<Integer> present = new HashSet<>();
        for (final Row row : rows)
        {
            views.add(view(row, nowNs));
            present.add(row.domid());
        }
        seen.removeAll(present);
        seen.forEach(recorder::forget);
        seen.clear();
        seen.addAll(present);
        return new BalloonSnapshot(nowNs, new HostPool(pool.totalPages() * KIB_PER_PAGE, pool.freePages() * KIB_PER_PAGE), views);
    }

    /** Under the hypervisor lock: the books of every guest that can balloon. */
    private List<Row> rows()
    {
        final List<Row> rows = new ArrayList<>();
        for (final Domain domain : hypervisor.domains())
        {
            final DomainStatus status = domain.status();
            if (status == DomainStatus.RUNNING || status == DomainStatus.PAUSED)
            {
                final Physmap physmap = domain.memory().physmap();
                rows.add(new Row(domain.domid(), domain.name(), domain.spec().memoryKib(), physmap.populatedPages() * KIB_PER_PAGE,
                    domain.spec().minmemKib(), physmap.maxPages() * KIB_PER_PAGE));
            }
        }
        return rows;
    }

    private DomainView view(final Row row, final long nowNs)
    {
        final KibValue target = KibValue.parse(DomainNodes.read(xenstore, row.domid(), DomainNodes.TARGET).orElse(null));
        final BalloonStatsRead read = hypervisor.usagePublisher().stats(row.domid()).orElse(BalloonStatsRead.NONE);
        boolean fresh = false;
        if (read.stats() != null)
        {
            recorder.offer(row.domid(), StatsSamples.of(read.stats()), nowNs);
            final long maxAgeNs = TimeUnit.MILLISECONDS.toNanos((long)BalloonStatsReader.DEFAULT_STALE_PERIODS * read.stats().periodMs());
            fresh = read.freshness() == StatsFreshness.FRESH && recorder.isFresh(row.domid(), nowNs, maxAgeNs);
        }
        return new DomainView(row.domid(), row.name(), row.memoryKib(), row.currentKib(),
            target.isValid() ? target.kib() : row.currentKib(), Math.min(row.minKib(), row.maxKib()), row.maxKib(),
            weight(row.domid()), fresh, recorder.history(row.domid()));
    }

    private int weight(final int domid)
    {
        return Math.max(1, Math.min(DomainView.MAX_WEIGHT, weights.applyAsInt(domid)));
    }

    /** One guest's figures from the hypervisor's books, KiB. */
    private record Row(int domid, String name, long memoryKib, long currentKib, long minKib, long maxKib)
    {
    }
}
