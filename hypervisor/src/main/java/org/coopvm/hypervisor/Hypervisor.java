package org.coopvm.hypervisor;

import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.status.AtomicCounter;
import org.coopvm.hypervisor.domain.Dom0EventFanout;
import org.coopvm.hypervisor.domain.Dom0EventSink;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainLifecycleListener;
import org.coopvm.hypervisor.domain.DomainRegions;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.hypervisor.domain.DomainStatus;
import org.coopvm.hypervisor.domain.DomainTable;
import org.coopvm.hypervisor.event.EventChannels;
import org.coopvm.hypervisor.grant.GrantCopy;
import org.coopvm.hypervisor.grant.GrantMapping;
import org.coopvm.hypervisor.grant.GrantTables;
import org.coopvm.hypervisor.hypercall.DomainControl;
import org.coopvm.hypervisor.hypercall.HostDoorbellIdleStrategy;
import org.coopvm.hypervisor.hypercall.HypercallDispatcher;
import org.coopvm.hypervisor.memory.DomainMemory;
import org.coopvm.hypervisor.memory.MemoryPool;
import org.coopvm.hypervisor.memory.PoolShortException;
import org.coopvm.hypervisor.memory.Reservations;
import org.coopvm.hypervisor.sched.Schedulers;
import org.coopvm.hypervisor.sched.runtime.CpuScheduler;
import org.coopvm.hypervisor.sched.runtime.CpuSchedulerIdleStrategy;
import org.coopvm.hypervisor.usage.CpuUsageSource;
import org.coopvm.hypervisor.usage.HostMemorySource;
import org.coopvm.hypervisor.usage.HypervisorUsageSource;
import org.coopvm.hypervisor.usage.UsageConfig;
import org.coopvm.hypervisor.usage.UsageIdleStrategy;
import org.coopvm.hypervisor.usage.UsagePublisher;
import org.coopvm.hypervisor.xenstore.XenstoreConfig;
import org.coopvm.hypervisor.xenstore.XenstoreDomains;
import org.coopvm.hypervisor.xenstore.Xenstored;
import org.coopvm.hypervisor.xenstore.transport.XenstoreRingConnection;
import org.coopvm.hypervisor.xenstore.transport.XenstoreRingServer;
import org.coopvm.hypervisor.xenstore.transport.XenstoreSocketServer;
import org.coopvm.rings.channel.MessageChannel;
import org.coopvm.rings.domain.DomainFiles;
import org.coopvm.rings.domain.StartInfo;
import org.coopvm.rings.domain.InProcessRegions;
import org.coopvm.rings.doorbell.Doorbell;
import org.coopvm.rings.doorbell.HostDoorbellDescriptor;
import org.coopvm.rings.hypercall.EventChannelOpDescriptor;
import org.coopvm.rings.mem.Pages;
import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;
import org.coopvm.rings.usage.UsagePageDescriptor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The hypervisor core: owns the domain table, event channels, grant tables, the memory pool with
 * every domain's reservation, and the hypercall dispatcher, and offers the toolstack operations (create, destroy, pause, unpause, shutdown,
 * raise a virq) and dom0's own event channel and grant operations for backends.
 *
 * <p>Threading: one lock (the hypervisor lock) guards all state. The dispatcher agent holds it
 * for each duty cycle; every public method here takes it, so API threads, a liveness monitor and
 * backends may call in at any time. Listeners run under the lock: they must return quickly.
 * Run the dispatcher with {@link #start()} (its own thread, sleeping on the host doorbell when
 * idle), or drive {@link #dispatcher()}{@code .doWork()} from a test thread. {@link #start()} also
 * runs the {@link UsagePublisher} on its own thread ({@code usage-publisher}, asleep between
 * periods); tests may drive its {@code doWork()} instead; and the {@link CpuScheduler} on its own
 * thread ({@code cpu-scheduler}, its own lock, taken inside the hypervisor lock when the core tells
 * it about domains and vCPUs; asleep while no vCPU is runnable or running).
 */
public final class Hypervisor implements AutoCloseable, DomainControl
{
    private final HypervisorConfig config;
    private final ReentrantLock lock = new ReentrantLock();
    private final DomainTable domains = new DomainTable();
    private final DomainFiles files;
    private final EventChannels events;
    private final GrantTables grants;
    private static final long KIB_PER_PAGE = Pages.PAGE_SIZE / 1024;

    private final Reservations reservations;
    private final HypercallDispatcher dispatcher;
    private final SharedRegion hostDoorbellRegion;
    private final Doorbell hostDoorbell;
    private final Doorbell schedulerDoorbell;
    private final CpuScheduler cpuScheduler;
    private final List<DomainLifecycleListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong agentErrors = new AtomicLong();
    private final Xenstored xenstored = new Xenstored(XenstoreConfig.DEFAULTS);
    private final Dom0EventFanout dom0Events = new Dom0EventFanout();
    private final XenstoreRingServer xenstoreRings = new XenstoreRingServer(xenstored);
    private final Map<Integer, XenstoreLink> xenstoreLinks = new ConcurrentHashMap<>();
    private final SharedRegion usageRegion;
    private final UsagePublisher usagePublisher;
    private XenstoreSocketServer xenstoreSocket;
    private AgentRunner runner;
    private AgentRunner usageRunner;
    private AgentRunner cpuRunner;
    private boolean closed;

    /**
     * Build a hypervisor with the default usage page settings.
     *
     * @param config the configuration.
     */
    public Hypervisor(final HypervisorConfig config)
    {
        this(config, UsageConfig.DEFAULTS);
    }

    /**
     * Build a hypervisor: creates {@code <run>/host-doorbell} and the usage page
     * {@code <run>/usage} (or anonymous regions without a run directory). Nothing runs until
     * {@link #start()}.
     *
     * @param config the configuration.
     * @param usage  the usage page's period and capacity.
     */
    public Hypervisor(final HypervisorConfig config, final UsageConfig usage)
    {
        this(config, usage, Schedulers.load());
    }

    /**
     * Build a hypervisor whose CPU scheduling algorithm comes from a given catalog (a researcher's
     * own algorithm without a {@code META-INF/services} file, or a test's).
     *
     * @param config     the configuration; {@code config.cpu().scheduler()} names the algorithm.
     * @param usage      the usage page's period and capacity.
     * @param schedulers where that name is looked up.
     * @throws IllegalArgumentException when the catalog has no algorithm of that name.
     */
    public Hypervisor(final HypervisorConfig config, final UsageConfig usage, final Schedulers schedulers)
    {
        this.config = config;
        this.files = config.runDir() == null ? null : new DomainFiles(config.runDir());
        this.events = new EventChannels(domains, config.maxEventChannels());
        this.grants = new GrantTables(domains, config.maxGrantHandles(), this::reclaimWhenUnused);
        this.reservations = new Reservations(new MemoryPool(config.poolPages()),
            (domid, gpfn) -> grants.isFrameMapped(domains.lookup(domid), gpfn), this::reservationChanged);
        this.hostDoorbellRegion = files == null ?
            SharedRegion.createAnonymous(RegionType.DOORBELL, Domain.DOM0, HostDoorbellDescriptor.PAYLOAD_LENGTH) :
            SharedRegion.createFile(files.hostDoorbell(), RegionType.DOORBELL, Domain.DOM0, HostDoorbellDescriptor.PAYLOAD_LENGTH);
        this.hostDoorbell = new Doorbell().wrap(hostDoorbellRegion.payloadBuffer(), HostDoorbellDescriptor.DISPATCHER_DOORBELL_OFFSET);
        this.schedulerDoorbell = new Doorbell().wrap(hostDoorbellRegion.payloadBuffer(), HostDoorbellDescriptor.SCHEDULER_DOORBELL_OFFSET);
        this.cpuScheduler = createCpuScheduler(config, schedulers);
        this.dispatcher = new HypercallDispatcher(lock, domains, events, grants, reservations, config.console(), this,
            config.faultListener(), config.hypercallListener(), config.nanoClock(), config.epochClock(), cpuScheduler,
            new HypercallDispatcher.Settings(config.pollLimit(), config.faultThreshold(),
                TimeUnit.MILLISECONDS.toNanos(config.heartbeatIntervalMs())));
        this.usageRegion = createUsageRegion(usage);
        this.usagePublisher = new UsagePublisher(usageRegion.payload(), new HypervisorUsageSource(this), config.nanoClock(), usage);
        final MemoryPool pool = reservations.pool();
        usagePublisher.hostMemory(HostMemorySource.pool(pool.totalPages() * KIB_PER_PAGE, () -> pool.reservedPages() * KIB_PER_PAGE));
        usagePublisher.cpu(CpuUsageSource.of(cpuScheduler));
        listeners.add(new XenstoreDomains(xenstored));
        domains.dom0().dom0EventSink(dom0Events);
    }

    /**
     * Start the dispatcher on its own thread.
     *
     * @return the runner (closed by {@link #close()}).
     */
    public synchronized AgentRunner start()
    {
        if (runner == null)
        {
            final HostDoorbellIdleStrategy idle = new HostDoorbellIdleStrategy(dispatcher, hostDoorbell,
                config.idleSpins(), config.idleYields(), TimeUnit.MILLISECONDS.toNanos(config.heartbeatIntervalMs()));
            final ErrorHandler errors = throwable -> agentErrors.incrementAndGet();
            runner = new AgentRunner(idle, errors, (AtomicCounter)null, dispatcher);
            AgentRunner.startOnThread(runner);
            usageRunner = new AgentRunner(new UsageIdleStrategy(usagePublisher), errors, (AtomicCounter)null, usagePublisher);
            AgentRunner.startOnThread(usageRunner);
            cpuRunner = new AgentRunner(new CpuSchedulerIdleStrategy(cpuScheduler, schedulerDoorbell), errors, (AtomicCounter)null,
                cpuScheduler);
            AgentRunner.startOnThread(cpuRunner);
            if (files != null)
            {
                xenstoreSocket = new XenstoreSocketServer(xenstored, config.runDir().resolve(XenstoreSocketServer.SOCKET_NAME));
                xenstoreSocket.start();
            }
        }
        return runner;
    }

    /**
     * Create a domain: its regions (files in {@code <run>/dom<N>/} or anonymous), start info,
     * ports and grant state. On any failure nothing is left behind.
     *
     * @param spec what to build.
     * @return the new domain, RUNNING (the lead then launches its guest), its first {@code memory}
     *         pages populated and reserved in the pool.
     * @throws IllegalArgumentException when the name is taken or the spec needs files without a run directory.
     * @throws PoolShortException when the pool cannot give it its {@code memory}.
     */
    public Domain createDomain(final DomainSpec spec)
    {
        if (!spec.inProcess() && files == null)
        {
            throw new IllegalArgumentException("domain " + spec.name() + " needs region files but the hypervisor has no run directory");
        }
        return locked(() ->
        {
            if (domains.byName(spec.name()).isPresent())
            {
                throw new IllegalArgumentException("a domain named " + spec.name() + " exists");
            }
            final int domid = domains.allocateDomid();
            reservations.admit(domid, spec.name(), spec.bootPages());
            try
            {
                final Domain domain = build(domid, spec);
                events.attach(domain);
                grants.attach(domain);
                domains.add(domain);
                cpuScheduler.add(domain, spec.sched());
                connectXenstore(domain);
                listeners.forEach(listener -> listener.onCreated(domain));
                return domain;
            }
            catch (final RuntimeException ex)
            {
                reservations.release(domid);
                throw ex;
            }
        });
    }

    /**
     * Destroy a domain: stop serving it, close its ports (peers' ports become unbound) and the
     * host's ends of its channels (its kernel sees them gone and stops), unmap what it mapped,
     * cancel its timers; once no other domain maps its memory and no in-process kernel
     * {@linkplain #inProcessRegions holds} its regions, close and unlink them and remove its directory.
     * Until then it stays listed as DYING.
     *
     * @param domid the domain.
     * @return {@code false} when there is no such guest.
     */
    public boolean destroyDomain(final int domid)
    {
        return locked(() ->
        {
            final Domain domain = domains.lookup(domid);
            if (domain == null || domain.isControlDomain())
            {
                return false;
            }
            if (domain.isDying())
            {
                return true;
            }
            final DomainStatus before = domain.status();
            domain.markDying();
            cpuScheduler.remove(domain);
            dispatcher.forget(domain);
            disconnectXenstore(domain.domid());
            events.release(domain);
            grants.releaseMappingsOf(domain);
            domain.closeEndpoints();
            listeners.forEach(listener -> listener.onStateChanged(domain, before, DomainStatus.DYING));
            reclaimWhenUnused(domain);
            return true;
        });
    }

    /**
     * The host's own mappings of a live guest domain's regions, for a guest kernel in this JVM.
     * The regions stay mapped until the kernel runs the returned {@link InProcessRegions#release()}
     * (once its vCPUs have ended): destroying the domain under it closes its channels, so it stops,
     * but the domain stays DYING until then.
     *
     * <p>Thread safety: any thread; the release is idempotent.
     *
     * @param domid the domain, built with anonymous (in-process) regions.
     * @return its regions and the release.
     * @throws IllegalArgumentException when there is no such live guest.
     */
    public InProcessRegions inProcessRegions(final int domid)
    {
        final Domain domain = locked(() ->
        {
            final Domain found = domains.lookup(domid);
            if (found == null || found.isControlDomain() || found.isDying())
            {
                throw new IllegalArgumentException("no live guest domain " + domid + " to run in this process");
            }
            found.holdRegions();
            return found;
        });
        final DomainRegions regions = domain.regions();
        final List<MessageChannel> responses = new ArrayList<>();
        for (int k = 0; k < domain.nrVcpus(); k++)
        {
            responses.add(regions.response(k));
        }
        return new InProcessRegions(regions.startInfo(), regions.sharedInfo(), regions.hypercall(), responses, regions.grantTable(),
            regions.memory(), hostDoorbellRegion, regions.xenstore(), usageRegion, regions.balloonStats(),
            other -> domain(other).map(d -> d.regions().memory()).orElse(null), releaseOnce(domain));
    }

    private Runnable releaseOnce(final Domain domain)
    {
        final AtomicBoolean released = new AtomicBoolean();
        return () ->
        {
            if (released.compareAndSet(false, true))
            {
                locked(() ->
                {
                    domain.releaseRegions();
                    if (domain.isDying())
                    {
                        reclaimWhenUnused(domain);
                    }
                    return null;
                });
            }
        };
    }

    /**
     * Pause a domain: its hypercalls wait in its channel until {@link #unpause}.
     *
     * @param domid the domain.
     * @return {@code false} when there is no such live guest.
     */
    public boolean pause(final int domid)
    {
        return setPaused(domid, true);
    }

    /**
     * Unpause a domain and wake the dispatcher for its queued hypercalls.
     *
     * @param domid the domain.
     * @return {@code false} when there is no such live guest.
     */
    public boolean unpause(final int domid)
    {
        final boolean found = setPaused(domid, false);
        hostDoorbell.wake();
        return found;
    }

    /**
     * Toolstack shutdown: record the state and reason and raise VIRQ_DOM_EXC on the domain so
     * the guest learns it (it should then exit). First reason wins, as in Xen.
     *
     * @param domid  the domain.
     * @param code   Xen SHUTDOWN_* code.
     * @param detail why.
     * @return {@code false} when there is no such live guest.
     */
    public boolean shutdown(final int domid, final int code, final String detail)
    {
        return locked(() ->
        {
            final Domain domain = domains.lookup(domid);
            if (domain == null || domain.isControlDomain() || domain.isDying())
            {
                return false;
            }
            shutdown(domain, code, detail);
            return true;
        });
    }

    /** {@inheritDoc} Under the hypervisor lock (called by the dispatcher). */
    @Override
    public void shutdown(final Domain domain, final int code, final String detail)
    {
        final DomainStatus before = domain.status();
        if (domain.markShutdown(code, detail))
        {
            events.raiseVirq(domain, EventChannelOpDescriptor.VIRQ_DOM_EXC, 0);
            listeners.forEach(listener -> listener.onStateChanged(domain, before, DomainStatus.SHUTDOWN));
            listeners.forEach(listener -> listener.onShutdown(domain));
        }
    }

    /**
     * Raise a virq on a guest (VIRQ_CONSOLE, VIRQ_ENOMEM, ...).
     *
     * @param domid the domain.
     * @param virq  the virq.
     * @param vcpu  the vCPU (per-vCPU virqs); 0 for global ones.
     * @return whether the guest had it bound.
     */
    public boolean raiseVirq(final int domid, final int virq, final int vcpu)
    {
        return locked(() ->
        {
            final Domain domain = domains.lookup(domid);
            return domain != null && !domain.isDying() && events.raiseVirq(domain, virq, vcpu);
        });
    }

    /**
     * @param domid a domain id.
     * @return the domain (guest or dom0).
     */
    public Optional<Domain> domain(final int domid)
    {
        return locked(() -> Optional.ofNullable(domains.lookup(domid)));
    }

    /**
     * @param name a guest name.
     * @return the guest.
     */
    public Optional<Domain> domain(final String name)
    {
        return locked(() -> domains.byName(name));
    }

    /** @return the guests, including dying ones, in domid order. */
    public List<Domain> domains()
    {
        return locked(domains::guestList);
    }

    /** @param listener told about lifecycle changes from now on. */
    public void addLifecycleListener(final DomainLifecycleListener listener)
    {
        listeners.add(listener);
    }

    /** @param sink where events for dom0's ports without their own handler go (the console backend). */
    public void dom0EventSink(final Dom0EventSink sink)
    {
        dom0Events.fallback(sink);
    }

    /**
     * @param port a dom0 port.
     * @param sink where that port's events go from now on (instead of the fallback sink).
     */
    public void dom0EventSink(final int port, final Dom0EventSink sink)
    {
        dom0Events.register(port, sink);
    }

    /** @param port a dom0 port whose own sink goes (its events reach the fallback sink again). */
    public void removeDom0EventSink(final int port)
    {
        dom0Events.unregister(port);
    }

    /**
     * dom0: allocate an unbound port of dom0 (or of a guest, for toolstack-made channels).
     *
     * @param dom       the domain to allocate in (0 for dom0).
     * @param remoteDom the domain allowed to bind.
     * @return the port, or minus an errno.
     */
    public long dom0AllocUnbound(final int dom, final int remoteDom)
    {
        return locked(() -> events.allocUnbound(domains.dom0(), dom, remoteDom));
    }

    /**
     * dom0: bind to a guest's unbound port.
     *
     * @param remoteDom  the guest.
     * @param remotePort its port.
     * @return dom0's port, or minus an errno.
     */
    public long dom0BindInterdomain(final int remoteDom, final int remotePort)
    {
        return locked(() -> events.bindInterdomain(domains.dom0(), remoteDom, remotePort));
    }

    /**
     * Backends' notifications, thousands a second under a stream: no capturing lambda, so none is
     * allocated per call.
     *
     * @param port a dom0 port.
     * @return 0 or minus an errno.
     */
    public long dom0Send(final int port)
    {
        lock.lock();
        try
        {
            return events.send(domains.dom0(), port);
        }
        finally
        {
            lock.unlock();
        }
    }

    /** @param port a dom0 port. @return 0 or minus an errno. */
    public long dom0Close(final int port)
    {
        return locked(() -> events.close(domains.dom0(), port));
    }

    /**
     * dom0 backend: map a page a guest granted to dom0.
     *
     * @param granterDom the guest.
     * @param ref        the grant reference.
     * @param readonly   read-only.
     * @return the mapping with its page view, or the negative GNTST status as a {@link MapResult}.
     */
    public MapResult dom0Map(final int granterDom, final int ref, final boolean readonly)
    {
        return locked(() ->
        {
            final long handle = grants.map(domains.dom0(), granterDom, ref, readonly);
            return handle < 0 ? new MapResult((int)handle, null) : new MapResult(0, grants.mapping(domains.dom0(), (int)handle));
        });
    }

    /** @param handle a dom0 mapping's handle. @return the GNTST status. */
    public int dom0Unmap(final int handle)
    {
        return locked(() -> grants.unmap(domains.dom0(), handle));
    }

    /** @param copy a copy between grant refs granted to dom0. @return the GNTST status. */
    public int dom0Copy(final GrantCopy copy)
    {
        return locked(() -> grants.copy(domains.dom0(), copy));
    }

    /**
     * Run something under the hypervisor lock (for the lead's glue: metrics snapshots, a
     * liveness sweep over {@link #domains()}).
     *
     * @param action what to run.
     * @param <T>    its result type.
     * @return its result.
     */
    public <T> T locked(final Supplier<T> action)
    {
        lock.lock();
        try
        {
            return action.get();
        }
        finally
        {
            lock.unlock();
        }
    }

    /** @return the dispatcher agent (tests drive its {@code doWork()} directly). */
    public HypercallDispatcher dispatcher()
    {
        return dispatcher;
    }

    /** @return the event channel service (call under {@link #locked}). */
    public EventChannels eventChannels()
    {
        return events;
    }

    /** @return the grant table service (call under {@link #locked}). */
    public GrantTables grantTables()
    {
        return grants;
    }

    /** @return the reservation service: the pool and every domain's physmap (call under {@link #locked}). */
    public Reservations reservations()
    {
        return reservations;
    }

    /** @return the host's memory pool (its readers may call from any thread). */
    public MemoryPool memoryPool()
    {
        return reservations.pool();
    }

    /**
     * Set a guest's {@code max_pages} (as {@code xl mem-max}): later populates stop there.
     *
     * @param domid a live guest.
     * @param pages 0..frames of its memory region.
     * @return {@code false} when there is no such live guest or the value is out of range.
     */
    public boolean maxPages(final int domid, final long pages)
    {
        return locked(() ->
        {
            final Domain domain = domains.lookup(domid);
            return domain != null && !domain.isControlDomain() && !domain.isDying() && reservations.maxPages(domain.memory(), pages);
        });
    }

    /**
     * @return the CPU scheduler: slots, runstates, enforcement ({@link #start()} runs it on its own
     *         thread; tests may drive its {@code doWork()}). The toolstack sets its process hook.
     */
    public CpuScheduler cpuScheduler()
    {
        return cpuScheduler;
    }

    /** @return the host doorbell guests ring after offering a hypercall. */
    public Doorbell hostDoorbell()
    {
        return hostDoorbell;
    }

    /** @return the host doorbell's region (in-process guests wrap a Doorbell on its payload). */
    public SharedRegion hostDoorbellRegion()
    {
        return hostDoorbellRegion;
    }

    /** @return errors the dispatcher agent threw (should stay 0). */
    public long agentErrors()
    {
        return agentErrors.get();
    }

    /** @return the configuration. */
    public HypervisorConfig config()
    {
        return config;
    }

    /** @return the usage page's region ({@code <run>/usage}); in-process guests read its payload (read-only view). */
    public SharedRegion usageRegion()
    {
        return usageRegion;
    }

    /** @return the usage publisher's runner, {@code null} until {@link #start()}. */
    public synchronized AgentRunner usageRunner()
    {
        return usageRunner;
    }

    /** @return the usage page's publisher (tests drive its {@code doWork()}). */
    public UsagePublisher usagePublisher()
    {
        return usagePublisher;
    }

    /**
     * @param source where the usage page's host pool numbers come from from now on (the
     *               toolstack's books, later the memory pool); unknown until set.
     */
    public void hostMemory(final HostMemorySource source)
    {
        usagePublisher.hostMemory(source);
    }

    /** @return xenstored (its socket serves {@code <run>/xenstored.sock} once started). */
    public Xenstored xenstored()
    {
        return xenstored;
    }

    /** Stop the dispatcher, destroy every domain (files gone), close the host doorbell. Idempotent. */
    @Override
    public void close()
    {
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            if (runner != null)
            {
                runner.close();
                usageRunner.close();
                cpuScheduler.terminate();
                cpuRunner.close();
            }
            if (xenstoreSocket != null)
            {
                xenstoreSocket.close();
            }
        }
        for (final Domain domain : domains())
        {
            destroyDomain(domain.domid());
        }
        locked(() ->
        {
            for (final Domain domain : domains.guests())
            {
                reclaim(domain);
            }
            return null;
        });
        xenstoreRings.close();
        hostDoorbellRegion.close();
        usageRegion.close();
    }

    /** The configured algorithm; the doorbell region is closed again when the name is unknown. */
    private CpuScheduler createCpuScheduler(final HypervisorConfig config, final Schedulers schedulers)
    {
        try
        {
            return new CpuScheduler(schedulers.create(config.cpu().scheduler()), config.cpu(), config.nanoClock(), schedulerDoorbell,
                hostDoorbellRegion.payloadBuffer());
        }
        catch (final RuntimeException ex)
        {
            hostDoorbellRegion.close();
            throw ex;
        }
    }

    /**
     * The usage page: {@code <run>/usage}, made read-only ({@code 0400}) once created so that a
     * (non-root) guest cannot even open it for writing; dom0 keeps its writable mapping. The
     * chmod is best effort: guests map the file read-only anyway.
     */
    private SharedRegion createUsageRegion(final UsageConfig usage)
    {
        final long payloadLength = UsagePageDescriptor.payloadLength(usage.capacity());
        if (files == null)
        {
            return SharedRegion.createAnonymous(RegionType.USAGE, Domain.DOM0, payloadLength);
        }
        final SharedRegion region;
        try
        {
            region = SharedRegion.createFile(files.usage(), RegionType.USAGE, Domain.DOM0, payloadLength);
        }
        catch (final RuntimeException ex)
        {
            hostDoorbellRegion.close();
            throw ex;
        }
        try
        {
            Files.setPosixFilePermissions(files.usage(), PosixFilePermissions.fromString("r--------"));
        }
        catch (final IOException | UnsupportedOperationException ignore)
        {
            // best effort, see above
        }
        return region;
    }

    /**
     * Under the lock, at creation: the guest's xenstore ring (its XENSTORE region) gets an event
     * channel to dom0 (guest port in the start info) and a connection in xenstored, as Xen's
     * toolstack does with {@code store_mfn}/{@code store_evtchn} and {@code XS_INTRODUCE}.
     */
    private void connectXenstore(final Domain domain)
    {
        final int domid = domain.domid();
        final long guestPort = events.allocUnbound(domains.dom0(), domid, Domain.DOM0);
        final long dom0Port = guestPort < 0 ? guestPort : events.bindInterdomain(domains.dom0(), domid, (int)guestPort);
        if (dom0Port < 0)
        {
            return;
        }
        new StartInfo().wrap(domain.regions().startInfo().payloadBuffer()).xenstorePort((int)guestPort);
        final int port = (int)dom0Port;
        final XenstoreRingConnection connection = xenstoreRings.attach(domid, domain.regions().xenstore().payloadBuffer(),
            () -> dom0Send(port));
        dom0Events.register(port, p -> xenstoreRings.kick(connection));
        xenstoreLinks.put(domid, new XenstoreLink(port, connection));
    }

    /** Under the lock: regions, memory and host ends of a new domain; on a failure nothing is left. */
    private Domain build(final int domid, final DomainSpec spec)
    {
        final DomainRegions regions = DomainRegions.create(spec.inProcess() ? null : files, domid, spec);
        DomainMemory memory = null;
        try
        {
            memory = DomainMemory.create(regions.memory(), spec.bootPages());
            return Domain.create(domid, spec, regions, memory, config.epochClock(), config.waitConfig(), dispatcher);
        }
        catch (final RuntimeException ex)
        {
            if (memory != null)
            {
                memory.close();
            }
            regions.close();
            throw ex;
        }
    }

    /** Under the lock: one reservation call changed (or tried to change) a domain's memory. */
    private void reservationChanged(final int domid, final int cmd, final long nrExtents, final int order, final long result)
    {
        final Domain domain = domains.lookup(domid);
        if (domain != null)
        {
            listeners.forEach(listener -> listener.onReservation(domain, cmd, nrExtents, order, result));
        }
    }

    /** Under the lock, at destruction: xenstored stops serving the ring and dom0's port closes. */
    private void disconnectXenstore(final int domid)
    {
        final XenstoreLink link = xenstoreLinks.remove(domid);
        if (link != null)
        {
            dom0Events.unregister(link.dom0Port());
            link.connection().close();
            events.close(domains.dom0(), link.dom0Port());
        }
    }

    private boolean setPaused(final int domid, final boolean paused)
    {
        return locked(() ->
        {
            final Domain domain = domains.lookup(domid);
            if (domain == null || domain.isControlDomain() || domain.isDying() || domain.isPaused() == paused)
            {
                return domain != null && !domain.isControlDomain() && !domain.isDying();
            }
            final DomainStatus before = domain.status();
            domain.paused(paused);
            cpuScheduler.paused(domain, paused);
            listeners.forEach(listener -> listener.onStateChanged(domain, before, domain.status()));
            return true;
        });
    }

    /** Under the lock: the last user of a dying domain is gone; release its regions. */
    private void reclaimWhenUnused(final Domain domain)
    {
        if (grants.foreignMappingsOf(domain) == 0 && !domain.areRegionsHeld())
        {
            reclaim(domain);
        }
    }

    private void reclaim(final Domain domain)
    {
        if (domains.lookup(domain.domid()) != domain)
        {
            return;
        }
        domains.remove(domain.domid());
        grants.forget(domain);
        domain.closeEndpoints();
        reservations.release(domain.domid());
        domain.memory().close();
        domain.regions().close();
        listeners.forEach(listener -> listener.onDestroyed(domain));
    }

    /**
     * What {@link #dom0Map} returns.
     *
     * @param status  GNTST status (0 on success).
     * @param mapping the mapping, {@code null} on failure.
     */
    public record MapResult(int status, GrantMapping mapping)
    {
    }

    private record XenstoreLink(int dom0Port, XenstoreRingConnection connection)
    {
    }
}
