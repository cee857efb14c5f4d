package org.coopvm.drivers.block;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.coopvm.rings.blkif.BlkifRequestDescriptor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The block backend's metrics, per virtual disk (tags {@code domid} and {@code vdev}, removed when
 * the backend lets go of the disk), all function counters over its {@link VbdCounters}:
 * <ul>
 *   <li>{@code coop.block.requests} (tag {@code op}: read, write, write_barrier, flush, discard, other);</li>
 *   <li>{@code coop.block.errors} (tag {@code reason}: a {@link BlockError}, e.g. {@code bad_gref});</li>
 *   <li>{@code coop.block.bytes} (tag {@code direction}: read, written);</li>
 *   <li>{@code coop.block.forces} (image flushes), {@code coop.block.notifications} (events to
 *       the guest), {@code coop.block.grant.maps}, {@code coop.block.persistent.hits},
 *       {@code coop.block.hostile.disconnects}, {@code coop.block.connects}.</li>
 * </ul>
 *
 * <p>Threading: called by the backend's control agent (or the thread detaching a domain); scrapes
 * from any thread.
 */
public final class BlockMetrics implements VbdListener
{
    private final MeterRegistry registry;
    private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();

    /** @param registry where to register the meters. */
    public BlockMetrics(final MeterRegistry registry)
    {
        this.registry = registry;
    }

    @Override
    public void added(final int domid, final String vdev, final VbdCounters counters)
    {
        final Tags tags = Tags.of("domid", Integer.toString(domid), "vdev", vdev);
        final List<Meter> registered = new ArrayList<>();
        for (final int operation : VbdCounters.OPERATIONS)
        {
            registered.add(counter("coop.block.requests", "block requests served, by operation",
                tags.and("op", BlkifRequestDescriptor.operationName(operation)), counters, c -> c.requests(operation)));
        }
        registered.add(counter("coop.block.requests", "block requests served, by operation", tags.and("op", "other"), counters,
            c -> c.requests() - known(c)));
        for (final BlockError error : BlockError.values())
        {
            registered.add(counter("coop.block.errors", "block requests refused or failed, by reason", tags.and("reason", error.tag()),
                counters, c -> c.errors(error)));
        }
        registered.add(value("coop.block.bytes", "bytes moved", tags.and("direction", "read"), counters, VbdCounters.Value.BYTES_READ));
        registered.add(value("coop.block.bytes", "bytes moved", tags.and("direction", "written"), counters, VbdCounters.Value.BYTES_WRITTEN));
        registered.add(value("coop.block.forces", "image flushes (flush and barrier requests)", tags, counters, VbdCounters.Value.FORCES));
        registered.add(value("coop.block.notifications", "events sent to the frontend", tags, counters, VbdCounters.Value.NOTIFICATIONS));
        registered.add(value("coop.block.grant.maps", "grant mappings made", tags, counters, VbdCounters.Value.GRANT_MAPS));
        registered.add(value("coop.block.persistent.hits", "segments served by a kept mapping", tags, counters,
            VbdCounters.Value.PERSISTENT_HITS));
        registered.add(value("coop.block.indirect.requests", "reads and writes whose segments came in indirect pages", tags, counters,
            VbdCounters.Value.INDIRECT_REQUESTS));
        registered.add(value("coop.block.batches", "ring agent rounds that served requests", tags, counters, VbdCounters.Value.BATCHES));
        registered.add(value("coop.block.agent.parks", "times the ring agent slept until the frontend notified", tags, counters,
            VbdCounters.Value.AGENT_PARKS));
        registered.add(value("coop.block.hostile.disconnects", "frontends disconnected for overrunning their ring", tags, counters,
            VbdCounters.Value.HOSTILE_DISCONNECTS));
        registered.add(value("coop.block.connects", "frontend connections", tags, counters, VbdCounters.Value.CONNECTS));
        meters.put(key(domid, vdev), registered);
    }

    @Override
    public void removed(final int domid, final String vdev)
    {
        final List<Meter> gone = meters.remove(key(domid, vdev));
        if (gone != null)
        {
            gone.forEach(registry::remove);
        }
    }

    private Meter counter(final String name, final String description, final Tags tags, final VbdCounters counters,
        final ToDoubleFunction<VbdCounters> read)
    {
        return FunctionCounter.builder(name, counters, read).description(description).tags(tags).register(registry);
    }

    private Meter value(final String name, final String description, final Tags tags, final VbdCounters counters,
        final VbdCounters.Value value)
    {
        return counter(name, description, tags, counters, c -> c.value(value));
    }

    private static long known(final VbdCounters counters)
    {
        long sum = 0;
        for (final int operation : VbdCounters.OPERATIONS)
        {
            sum += counters.requests(operation);
        }
        return sum;
    }

    private static String key(final int domid, final String vdev)
    {
        return domid + "/" + vdev;
    }
}
