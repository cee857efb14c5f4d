package org.coopvm.drivers.net;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The net backend's metrics, per vif (tags {@code domid} and {@code vif}, the vif's number; removed
 * when the backend lets go of the vif), all function counters over its {@link VifCounters}:
 * <ul>
 *   <li>{@code coop.net.frames} and {@code coop.net.bytes} (tag {@code direction}: {@code tx}, what
 *       the guest sent and the switch took; {@code rx}, what was copied into the guest's buffers);</li>
 *   <li>{@code coop.net.drops} (tag {@code reason}: {@code bad_size}, {@code bad_offset},
 *       {@code bad_flags}, {@code bad_grant} for the guest's tx requests; {@code rx_full},
 *       {@code bad_rx_grant} for frames to the guest);</li>
 *   <li>{@code coop.net.rate.limited} (times the tx queue waited for the rate limiter),
 *       {@code coop.net.notifications} (events to the guest), {@code coop.net.connects},
 *       {@code coop.net.hostile.disconnects}, {@code coop.net.agent.errors};</li>
 *   <li>where the data path waits: {@code coop.net.frontend.events} (notifications from the
 *       frontend), {@code coop.net.agent.parks}, {@code coop.net.batches} (tag {@code direction}:
 *       pushes of responses; frames divided by batches is frames per push),
 *       {@code coop.net.rx.queued} (frames that waited for the guest to post a buffer).</li>
 * </ul>
 *
 * <p>Threading: called by the backend's control agent (or the thread detaching a domain); scrapes
 * from any thread.
 */
public final class VifMetrics implements VifListener
{
    /** Each counted value: its meter, its extra tag (or none) and its description. */
    private record Binding(VifCounters.Value value, String name, String tagKey, String tagValue, String description)
    {
    }

    private static final List<Binding> BINDINGS = List.of(
        new Binding(VifCounters.Value.TX_FRAMES, "coop.net.frames", "direction", "tx", "frames moved, by direction"),
        new Binding(VifCounters.Value.RX_FRAMES, "coop.net.frames", "direction", "rx", "frames moved, by direction"),
        new Binding(VifCounters.Value.TX_BYTES, "coop.net.bytes", "direction", "tx", "frame bytes moved, by direction"),
        new Binding(VifCounters.Value.RX_BYTES, "coop.net.bytes", "direction", "rx", "frame bytes moved, by direction"),
        new Binding(VifCounters.Value.DROPPED_BAD_SIZE, "coop.net.drops", "reason", "bad_size", "frames dropped, by reason"),
        new Binding(VifCounters.Value.DROPPED_BAD_OFFSET, "coop.net.drops", "reason", "bad_offset", "frames dropped, by reason"),
        new Binding(VifCounters.Value.DROPPED_BAD_FLAGS, "coop.net.drops", "reason", "bad_flags", "frames dropped, by reason"),
        new Binding(VifCounters.Value.BAD_GRANTS, "coop.net.drops", "reason", "bad_grant", "frames dropped, by reason"),
        new Binding(VifCounters.Value.DROPPED_RX_FULL, "coop.net.drops", "reason", "rx_full", "frames dropped, by reason"),
        new Binding(VifCounters.Value.BAD_RX_GRANTS, "coop.net.drops", "reason", "bad_rx_grant", "frames dropped, by reason"),
        new Binding(VifCounters.Value.RATE_LIMITED, "coop.net.rate.limited", null, null, "times the tx queue waited for the rate limiter"),
        new Binding(VifCounters.Value.NOTIFICATIONS, "coop.net.notifications", null, null, "events sent to the frontend"),
        new Binding(VifCounters.Value.CONNECTS, "coop.net.connects", null, null, "frontend connections"),
        new Binding(VifCounters.Value.HOSTILE_DISCONNECTS, "coop.net.hostile.disconnects", null, null,
            "frontends disconnected for overrunning a ring"),
        new Binding(VifCounters.Value.AGENT_ERRORS, "coop.net.agent.errors", null, null, "exceptions the vif's agent caught"),
        new Binding(VifCounters.Value.FRONTEND_EVENTS, "coop.net.frontend.events", null, null, "notifications from the frontend"),
        new Binding(VifCounters.Value.AGENT_PARKS, "coop.net.agent.parks", null, null, "times the vif's agent parked"),
        new Binding(VifCounters.Value.TX_BATCHES, "coop.net.batches", "direction", "tx", "pushes of responses, by direction"),
        new Binding(VifCounters.Value.RX_BATCHES, "coop.net.batches", "direction", "rx", "pushes of responses, by direction"),
        new Binding(VifCounters.Value.RX_QUEUED, "coop.net.rx.queued", null, null,
            "frames that waited in the receive queue for a posted buffer"));

    private final MeterRegistry registry;
    private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();

    /** @param registry where to register the meters. */
    public VifMetrics(final MeterRegistry registry)
    {
        this.registry = registry;
    }

    @Override
    public void added(final int domid, final int handle, final VifCounters counters)
    {
        final Tags tags = Tags.of("domid", Integer.toString(domid), "vif", Integer.toString(handle));
        final List<Meter> registered = new ArrayList<>();
        for (final Binding binding : BINDINGS)
        {
            registered.add(FunctionCounter.builder(binding.name(), counters, c -> c.get(binding.value()))
                .description(binding.description())
                .tags(binding.tagKey() == null ? tags : tags.and(binding.tagKey(), binding.tagValue()))
                .register(registry));
        }
        meters.put(key(domid, handle), registered);
    }

    @Override
    public void removed(final int domid, final int handle)
    {
        final List<Meter> gone = meters.remove(key(domid, handle));
        if (gone != null)
        {
            gone.forEach(registry::remove);
        }
    }

    /** @return every counted value, each bound to one meter (a test checks none is left out). */
    static List<VifCounters.Value> bound()
    {
        return BINDINGS.stream().map(Binding::value).toList();
    }

    private static String key(final int domid, final int handle)
    {
        return domid + "/" + handle;
    }
}
