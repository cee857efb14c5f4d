package org.coopvm.hypervisor.domain;

import org.agrona.concurrent.EpochClock;
import org.coopvm.hypervisor.memory.DomainMemory;
import org.coopvm.rings.channel.ChannelConsumer;
import org.coopvm.rings.channel.ChannelProducer;
import org.coopvm.rings.domain.EventChannelBits;
import org.coopvm.rings.domain.Runstate;
import org.coopvm.rings.domain.StartInfo;
import org.coopvm.rings.domain.StartInfoDescriptor;
import org.coopvm.rings.doorbell.PeerLiveness;
import org.coopvm.rings.doorbell.WaitConfig;
import org.coopvm.rings.grant.GrantTableBackend;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A domain: its id, spec, host-side mappings of its regions (start info, shared info, hypercall
 * consumer, per-vCPU response producers, grant table, memory), its physmap, vCPUs, counters and
 * lifecycle state. Domain 0 is the host itself: no regions, no vCPUs; its events go to a
 * {@link Dom0EventSink}.
 *
 * <p>Thread safety: state changes and region access happen under the hypervisor lock (the
 * dispatcher thread, or an API thread holding the lock). The status, counters, shutdown reason
 * and identity may be read from any thread (snapshots).
 */
public final class Domain
{
    /** The control domain's id. */
    public static final int DOM0 = 0;
    /** No shutdown reason recorded. */
    public static final int NO_SHUTDOWN = -1;

    private final int domid;
    private final DomainSpec spec;
    private final DomainRegions regions;
    private final DomainMemory memory;
    private final long createdAtMs;
    private final Vcpu[] vcpus;
    private final AtomicLongArray counters = new AtomicLongArray(DomainCounter.values().length);
    private final EventChannelBits bits;
    private final Runstate runstateArea;
    private final GrantTableBackend grantTable;
    private final ChannelConsumer hypercalls;
    private final ChannelProducer[] responses;
    private final PeerLiveness hostLiveness;
    private final PeerLiveness guestLiveness;
    private final MemorySegment balloonStats;
    private final EventObserver observer;
    private volatile Dom0EventSink dom0Sink = Dom0EventSink.NONE;
    private volatile boolean paused;
    private volatile boolean dying;
    private int regionHolds;
    private volatile int shutdownCode = NO_SHUTDOWN;
    private volatile String shutdownDetail = "";

    private Domain(final int domid, final DomainSpec spec, final DomainRegions regions, final DomainMemory memory,
        final Endpoints endpoints, final EventObserver observer, final long createdAtMs)
    {
        this.domid = domid;
        this.spec = spec;
        this.regions = regions;
        this.memory = memory;
        this.observer = observer;
        this.createdAtMs = createdAtMs;
        this.vcpus = new Vcpu[spec == null ? 0 : spec.vcpus()];
        for (int i = 0; i < vcpus.length; i++)
        {
            vcpus[i] = new Vcpu(i);
        }
        this.bits = regions == null ? null : new EventChannelBits().wrap(regions.sharedInfo().payload());
        this.runstateArea = regions == null ? null : new Runstate().wrap(regions.sharedInfo().payload());
        this.grantTable = regions == null ? null :
            new GrantTableBackend().wrap(regions.grantTable().payload(), spec.maxGrantEntries());
        this.hypercalls = endpoints == null ? null : endpoints.hypercalls;
        this.responses = endpoints == null ? null : endpoints.responses;
        this.hostLiveness = regions == null ? null : new StartInfo().wrap(regions.startInfo().payloadBuffer()).hostLiveness();
        this.guestLiveness = regions == null ? null : new StartInfo().wrap(regions.startInfo().payloadBuffer()).guestLiveness();
        this.balloonStats = regions == null ? null : regions.balloonStats().payload();
    }

    /** @return domain 0, the host itself. */
    public static Domain controlDomain()
    {
        return new Domain(DOM0, null, null, null, null, (d, v, p, k) -> { }, System.currentTimeMillis());
    }

    /**
     * Build a guest domain over freshly created regions: write the start info (with the CPU slots
     * flag: the hypervisor's CPU scheduler schedules every guest), open the host ends of its
     * channels, publish the host's liveness, bring vCPU 0 up and leave the others down until
     * VCPUOP_up. Its runstates are the CPU scheduler's to publish, once it is added there.
     *
     * @param domid    its id.
     * @param spec     its spec.
     * @param regions  its regions (the domain does not own them: the hypervisor closes them).
     * @param memory   its physmap and memory backing (owned by the hypervisor too).
     * @param clock    epoch clock for liveness and channel heartbeats.
     * @param wait     wait tuning for the channel ends.
     * @param observer told when ports become pending.
     * @return the domain.
     */
    public static Domain create(final int domid, final DomainSpec spec, final DomainRegions regions, final DomainMemory memory,
        final EpochClock clock, final WaitConfig wait, final EventObserver observer)
    {
        writeStartInfo(new StartInfo().wrap(regions.startInfo().payloadBuffer()), domid, spec);
        final Domain domain = new Domain(domid, spec, regions, memory, Endpoints.open(regions, spec, clock, wait), observer,
            clock.time());
        domain.hostLiveness.attach(clock.time());
        domain.setOnline(0, true);
        return domain;
    }

    /** @return the domain id. */
    public int domid()
    {
        return domid;
    }

    /** @return the spec; {@code null} for dom0. */
    public DomainSpec spec()
    {
        return spec;
    }

    /** @return the name ("Domain-0" for dom0). */
    public String name()
    {
        return spec == null ? "Domain-0" : spec.name();
    }

    /** @return whether this is dom0. */
    public boolean isControlDomain()
    {
        return domid == DOM0;
    }

    /** @return the regions; {@code null} for dom0. In-process guests attach their ends to these. */
    public DomainRegions regions()
    {
        return regions;
    }

    /** @return its memory: physmap (populated frames, limits) and backing; {@code null} for dom0. */
    public DomainMemory memory()
    {
        return memory;
    }

    /** @return creation time, epoch ms. */
    public long createdAtMs()
    {
        return createdAtMs;
    }

    /** @return number of vCPUs (0 for dom0). */
    public int nrVcpus()
    {
        return vcpus.length;
    }

    /** @param vcpu an id below {@link #nrVcpus()}. @return that vCPU. */
    public Vcpu vcpu(final int vcpu)
    {
        return vcpus[vcpu];
    }

    /** @return the lifecycle state (a snapshot). */
    public DomainStatus status()
    {
        if (dying)
        {
            return DomainStatus.DYING;
        }
        if (shutdownCode != NO_SHUTDOWN)
        {
            return DomainStatus.SHUTDOWN;
        }
        return paused ? DomainStatus.PAUSED : DomainStatus.RUNNING;
    }

    /** @return whether its hypercalls are served now: not paused, not shut down, not dying. */
    public boolean isServed()
    {
        return !paused && !dying && shutdownCode == NO_SHUTDOWN;
    }

    /** @return Xen's SHUTDOWN_* code, or {@link #NO_SHUTDOWN}. */
    public int shutdownCode()
    {
        return shutdownCode;
    }

    /** @return why it was shut down (empty if not, or if the guest gave no detail). */
    public String shutdownDetail()
    {
        return shutdownDetail;
    }

    /** @param counter which. @return its value. */
    public long counter(final DomainCounter counter)
    {
        return counters.get(counter.ordinal());
    }

    /** @param counter which to increment. @return the new value. */
    public long increment(final DomainCounter counter)
    {
        return counters.incrementAndGet(counter.ordinal());
    }

    /** @param counter which. @param delta how much to add. */
    public void add(final DomainCounter counter, final long delta)
    {
        counters.addAndGet(counter.ordinal(), delta);
    }

    /** @return the event channel bits of its shared info; {@code null} for dom0. */
    public EventChannelBits eventBits()
    {
        return bits;
    }

    /** @return the host's check-and-pin view of its grant table; {@code null} for dom0. */
    public GrantTableBackend grantTable()
    {
        return grantTable;
    }

    /** @return the host's consumer end of its hypercall channel; {@code null} for dom0. */
    public ChannelConsumer hypercalls()
    {
        return hypercalls;
    }

    /** @param vcpu the vCPU. @return the host's producer end of its response channel. */
    public ChannelProducer response(final int vcpu)
    {
        return responses[vcpu];
    }

    /** @return the guest's liveness slot (the lead's liveness monitor reads it); {@code null} for dom0. */
    public PeerLiveness guestLiveness()
    {
        return guestLiveness;
    }

    /** @return the host's liveness slot for this guest; {@code null} for dom0. */
    public PeerLiveness hostLiveness()
    {
        return hostLiveness;
    }

    /**
     * @return the payload of its balloon stats region (the guest writes it; one segment object for
     *         the domain's life, so readers can tell domains apart); {@code null} for dom0.
     */
    public MemorySegment balloonStats()
    {
        return balloonStats;
    }

    /** @param sink where dom0's events go (dom0 only). */
    public void dom0EventSink(final Dom0EventSink sink)
    {
        this.dom0Sink = sink;
    }

    /**
     * Make a port pending on {@code vcpu}: for a guest, set the shared-info bits and kick the
     * vCPU if the upcall was newly raised; for dom0, call its sink. Under the hypervisor lock.
     *
     * @param port the port.
     * @param vcpu the vCPU it notifies.
     */
    public void deliverEvent(final int port, final int vcpu)
    {
        if (bits == null)
        {
            dom0Sink.onEvent(port);
            return;
        }
        increment(DomainCounter.EVENTS_DELIVERED);
        afterPending(port, vcpu, bits.setPending(port, vcpu));
    }

    /**
     * EVTCHNOP_unmask: clear the mask and re-deliver a pending event. Under the hypervisor lock.
     *
     * @param port the port.
     * @param vcpu the vCPU it notifies.
     */
    public void unmask(final int port, final int vcpu)
    {
        if (bits != null)
        {
            afterPending(port, vcpu, bits.unmask(port, vcpu));
        }
    }

    /**
     * Ring the vCPU's doorbell (the doorbell of its response channel) if it sleeps.
     *
     * @param vcpu the vCPU.
     */
    public void kick(final int vcpu)
    {
        increment(DomainCounter.KICKS);
        responses[vcpu].doorbell().wakeIfSleeping();
    }

    /**
     * Bring a vCPU up or down (the flag only: tell the CPU scheduler, which owns the runstate).
     *
     * @param vcpu   the vCPU.
     * @param online up or down.
     */
    public void setOnline(final int vcpu, final boolean online)
    {
        vcpus[vcpu].online(online);
    }

    /**
     * Enter a runstate and publish it (seqlock) in the vCPU's vcpu_info. Only the CPU scheduler
     * calls this, under its lock: it is the one writer of every runstate.
     *
     * @param vcpu  the vCPU.
     * @param state a {@code VcpuInfoDescriptor.RUNSTATE_*} value.
     * @param nowNs host clock.
     */
    public void publishRunstate(final int vcpu, final int state, final long nowNs)
    {
        final Vcpu v = vcpus[vcpu];
        if (v.enterRunstate(state, nowNs))
        {
            runstateArea.write(vcpu, v.runstate(), v.entryTimeNs(), v.timesNs());
        }
    }

    /** @param paused whether the toolstack paused it. */
    public void paused(final boolean paused)
    {
        this.paused = paused;
    }

    /** @return whether the toolstack paused it. */
    public boolean isPaused()
    {
        return paused;
    }

    /**
     * Record a shutdown (first reason wins, as Xen).
     *
     * @param code   Xen SHUTDOWN_* code.
     * @param detail why.
     * @return {@code false} when it was already shut down.
     */
    public boolean markShutdown(final int code, final String detail)
    {
        if (shutdownCode != NO_SHUTDOWN)
        {
            return false;
        }
        shutdownDetail = detail;
        shutdownCode = code;
        return true;
    }

    /** Mark it dying: nothing is served any more and the host's liveness slot says CLOSED. */
    public void markDying()
    {
        dying = true;
        if (hostLiveness != null)
        {
            hostLiveness.markClosed();
        }
    }

    /** Someone in this process (an in-process guest kernel) still uses the regions: keep them mapped. Under the hypervisor's lock. */
    public void holdRegions()
    {
        regionHolds++;
    }

    /** One holder is done with the regions. Under the hypervisor's lock. */
    public void releaseRegions()
    {
        if (regionHolds == 0)
        {
            throw new IllegalStateException(this + ": regions released more often than held");
        }
        regionHolds--;
    }

    /** @return whether someone in this process still uses the regions. Under the hypervisor's lock. */
    public boolean areRegionsHeld()
    {
        return regionHolds > 0;
    }

    /** @return whether it is being destroyed. */
    public boolean isDying()
    {
        return dying;
    }

    /**
     * @param vcpu a vCPU id from the guest.
     * @return whether it names a vCPU of this domain.
     */
    public boolean isValidVcpu(final int vcpu)
    {
        return vcpu >= 0 && vcpu < vcpus.length;
    }

    /** Heartbeat the host's liveness slot. */
    public void heartbeat(final long nowMs)
    {
        if (hostLiveness != null && !dying)
        {
            hostLiveness.heartbeat(nowMs);
        }
    }

    /** Close the host's channel ends (publishes CLOSED to the guest). */
    public void closeEndpoints()
    {
        if (hypercalls != null)
        {
            hypercalls.close();
            for (final ChannelProducer response : responses)
            {
                response.close();
            }
        }
    }

    @Override
    public String toString()
    {
        return "dom" + domid + "(" + name() + ")";
    }

    private void afterPending(final int port, final int vcpu, final boolean kicked)
    {
        if (kicked)
        {
            kick(vcpu);
        }
        observer.onEventPending(this, vcpu, port, kicked);
    }

    private static void writeStartInfo(final StartInfo info, final int domid, final DomainSpec spec)
    {
        info.domid(domid).nrVcpus(spec.vcpus()).memoryKib(spec.memoryKib()).maxmemKib(spec.maxmemKib())
            .memoryPages(spec.memoryPages()).grantEntries(spec.maxGrantEntries())
            .flags((spec.inProcess() ? StartInfoDescriptor.FLAG_IN_PROCESS : 0) | StartInfoDescriptor.FLAG_CPU_SLOTS)
            .hypercallCapacity(spec.hypercallCapacityBytes())
            .workloadName(spec.workloadName()).workloadArgs(spec.workloadArgs());
    }

    private record Endpoints(ChannelConsumer hypercalls, ChannelProducer[] responses)
    {
        static Endpoints open(final DomainRegions regions, final DomainSpec spec, final EpochClock clock, final WaitConfig wait)
        {
            final ChannelProducer[] responses = new ChannelProducer[spec.vcpus()];
            for (int vcpu = 0; vcpu < responses.length; vcpu++)
            {
                responses[vcpu] = regions.response(vcpu).openProducer(clock, wait);
            }
            return new Endpoints(regions.hypercall().openConsumer(clock, wait), responses);
        }
    }
}
