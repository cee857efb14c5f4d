package org.coopvm.guest;

import org.coopvm.guest.console.ConsoleFrontend;
import org.coopvm.guest.coop.CooperationRunner;
import org.coopvm.guest.coop.KernelCooperation;
import org.coopvm.guest.driver.RunningDriver;
import org.coopvm.guest.event.EventHandlers;
import org.coopvm.guest.grant.GrantMapper;
import org.coopvm.guest.grant.GrantTable;
import org.coopvm.guest.hypercall.HypercallAbortedException;
import org.coopvm.guest.hypercall.Hypercalls;
import org.coopvm.guest.hypercall.ShutdownReason;
import org.coopvm.guest.hypercall.VcpuHypercallPort;
import org.coopvm.guest.mem.GuestMemory;
import org.coopvm.guest.stats.GuestMemoryStatsSource;
import org.coopvm.guest.stats.MemoryRequest;
import org.coopvm.guest.stats.StatsPublisher;
import org.coopvm.guest.task.CpuLimit;
import org.coopvm.guest.task.StepResult;
import org.coopvm.guest.task.TaskHandle;
import org.coopvm.guest.task.Vcpu;
import org.coopvm.guest.workload.GuestContext;
import org.coopvm.guest.xenstore.GuestXenstoreAccess;
import org.coopvm.rings.channel.ChannelConsumer;
import org.coopvm.rings.channel.ChannelProducer;
import org.coopvm.rings.console.ConsoleDevice;
import org.coopvm.rings.domain.EventChannelBits;
import org.coopvm.rings.domain.Runstate;
import org.coopvm.rings.domain.SharedInfoDescriptor;
import org.coopvm.rings.domain.StartInfo;
import org.coopvm.rings.doorbell.Doorbell;
import org.coopvm.rings.doorbell.HostDoorbellDescriptor;
import org.coopvm.rings.grant.GrantEntryDescriptor;
import org.coopvm.rings.grant.GrantTableFrontend;
import org.coopvm.rings.hypercall.EventChannelOpDescriptor;
import org.coopvm.rings.mem.Pages;
import org.coopvm.rings.usage.UsagePageReader;
import org.coopvm.rings.xenbus.XenstoreAccessException;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Java guest kernel of one domain. {@link #boot} maps (or takes) the domain's regions in
 * order: start info (validated), shared info, grant table, memory; opens the hypercall channel as
 * producer and each {@code vcpu<K>.rsp} as consumer; starts the liveness thread ({@code dom<N>-kernel}:
 * guest heartbeat every 100 ms, host watchdog); brings up one thread per vCPU
 * ({@code dom<N>-vcpu<K>}; when the start info says so, each runs only while it holds one of the
 * host's physical CPU slots, see {@link KernelVcpuPlatform}); starts the memory stats publisher
 * on vCPU 0 (when the host gave a balloon stats region; a timer task, every
 * {@link KernelConfig#statsPeriodMs()}); then, on vCPU 0, brings the secondary vCPUs up
 * (VCPUOP_up), connects the console, starts the guest drivers ({@link org.coopvm.guest.driver.GuestDriver}
 * providers not in {@link KernelConfig#disabledDrivers()}; a driver that fails to start is reported
 * on the console and skipped), the cooperation policy dom0 chose for the domain
 * ({@link KernelCooperation}: its requests go out with the memory stats), and the workload named in
 * the start info. Workloads read the host's usage page through {@link GuestContext#usage()}.
 *
 * <p>The kernel stops when the workload shuts the domain down, when the host is gone (pid gone,
 * heartbeat older than 1 s, channel closed), or on {@link #stop()}: vCPUs finish their step,
 * the drivers are stopped (once the vCPUs ended), the channel ends are closed and, for a process
 * guest, the regions are unmapped. It never exits the JVM: {@link GuestMain} does that for process
 * guests.
 *
 * <p>Thread safety: every public method may be called from any thread.
 */
public final class GuestKernel implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(GuestKernel.class.getName());

    private final BootRegions regions;
    private final KernelConfig config;
    private final StartInfo startInfo;
    private final int domid;
    private final ChannelProducer hypercallProducer;
    private final ChannelConsumer[] responseConsumers;
    private final Vcpu[] vcpus;
    private final VcpuHypercallPort[] ports;
    private final Hypercalls hypercalls;
    private final EventHandlers events;
    private final EventChannelBits bits;
    private final KernelVcpuPlatform platform;
    private final KernelContext context;
    private final StatsPublisher statsPublisher;
    private final MemoryRequest memoryRequest;
    private final CpuLimit cpuLimit = new CpuLimit();
    private final GuestDrivers drivers;
    private volatile CooperationRunner cooperation;
    private final AtomicReference<KernelExit> exit = new AtomicReference<>();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile boolean stopping;

    private GuestKernel(final BootRegions regions, final KernelConfig config)
    {
        this.regions = regions;
        this.config = config;
        this.startInfo = validatedStartInfo(regions);
        this.domid = startInfo.domid();
        final int nrVcpus = startInfo.nrVcpus();
        this.bits = new EventChannelBits().wrap(regions.sharedInfo().payload());
        final GrantTable grants = new GrantTable(
            new GrantTableFrontend().wrap(regions.grantTable().payload(), startInfo.grantEntries()), startInfo.grantEntries());
        final GuestMemory memory = guestMemory(startInfo, regions);
        this.hypercallProducer = regions.hypercall().openProducer(config.epochClock(), config.waitConfig());
        this.responseConsumers = openConsumers(regions, nrVcpus, config, hypercallProducer);
        this.ports = new VcpuHypercallPort[nrVcpus];
        this.vcpus = new Vcpu[nrVcpus];
        final Doorbell hostDoorbell = new Doorbell().wrap(regions.hostDoorbell().payloadBuffer(),
            HostDoorbellDescriptor.DISPATCHER_DOORBELL_OFFSET);
        final Doorbell schedulerDoorbell = startInfo.hasCpuSlots() ?
            new Doorbell().wrap(regions.hostDoorbell().payloadBuffer(), HostDoorbellDescriptor.SCHEDULER_DOORBELL_OFFSET) : null;
        for (int k = 0; k < nrVcpus; k++)
        {
            ports[k] = new VcpuHypercallPort(k, hypercallProducer, responseConsumers[k], hostDoorbell, () -> stopping);
        }
        this.events = new EventHandlers(bits, (port, failure) -> onFailure("event handler of port " + port, failure));
        this.platform = new KernelVcpuPlatform(events, ports, regions.vcpuResponses(), regions.sharedInfo().payloadBuffer(),
            schedulerDoorbell, regions.hostDoorbell().payloadBuffer(), config,
            () -> requestStop(new KernelExit(KernelExit.Kind.HOST_GONE, null, "vCPU saw the host's response channel end gone")));
        for (int k = 0; k < nrVcpus; k++)
        {
            vcpus[k] = new Vcpu(k, "dom" + domid + "-vcpu" + k, config.nanoClock(), platform, this::onTaskFailure, cpuLimit);
            ports[k].ownedBy(vcpus[k]);
        }
        this.hypercalls = new Hypercalls(ports, vcpus, () -> stopping);
        this.context = new KernelContext(this, vcpus, hypercalls, events, grants,
            new GrantMapper(hypercalls, regions.foreignMemory()), memory, config.nanoClock(), regions.runDir(),
            new Runstate().wrap(regions.sharedInfo().payload()),
            Optional.ofNullable(regions.usage()).map(usage -> new UsagePageReader(usage.payload().asReadOnly())));
        this.memoryRequest = new MemoryRequest((long)memory.maxFrames() * (Pages.PAGE_SIZE / 1024));
        this.statsPublisher = regions.balloonStats() == null ? null :
            new StatsPublisher(regions.balloonStats().payload(), new GuestMemoryStatsSource(memory, memoryRequest), config.statsPeriodMs());
        this.drivers = new GuestDrivers(config.disabledDrivers(), this::logQuietly);
    }

    /**
     * Boot with the default configuration.
     *
     * @param regions the domain's mapped regions.
     * @return the running kernel.
     * @throws IllegalStateException when the start info is invalid.
     */
    public static GuestKernel boot(final BootRegions regions)
    {
        return boot(regions, KernelConfig.DEFAULT);
    }

    /**
     * Boot: validate, attach the channels, start liveness, the vCPUs and the workload.
     *
     * @param regions the domain's mapped regions.
     * @param config  clocks and timing.
     * @return the running kernel.
     * @throws IllegalStateException when the start info is invalid or a channel end is taken.
     */
    public static GuestKernel boot(final BootRegions regions, final KernelConfig config)
    {
        final GuestKernel kernel;
        try
        {
            kernel = new GuestKernel(regions, config);
        }
        catch (final RuntimeException ex)
        {
            regions.release().run();
            throw ex;
        }
        kernel.start();
        return kernel;
    }

    /** @return the domain id. */
    public int domid()
    {
        return domid;
    }

    /** @return the services workloads get (usable by host-side test code too). */
    public GuestContext context()
    {
        return context;
    }

    /**
     * A running guest driver, for tests and in-process hosts that read its state (cast it to the
     * driver's own type, e.g. the balloon's).
     *
     * @param name the driver's {@link org.coopvm.guest.driver.GuestDriver#name()}.
     * @return the driver while it runs; empty when it is not started (yet), disabled, failed, or
     *         the kernel stopped.
     */
    public Optional<RunningDriver> driver(final String name)
    {
        return drivers.find(name);
    }

    /**
     * The domain's cooperation policy, for tests and in-process hosts that read its state.
     *
     * @return its task while it runs; empty when the domain has none, it could not start, or the
     *         boot has not reached it yet.
     */
    public Optional<CooperationRunner> cooperation()
    {
        return Optional.ofNullable(cooperation);
    }

    /** @return why the kernel stopped, empty while it runs. */
    public Optional<KernelExit> exit()
    {
        return Optional.ofNullable(exit.get());
    }

    /** @return whether the kernel has fully stopped (threads ended, ends closed). */
    public boolean isTerminated()
    {
        return terminated.getCount() == 0;
    }

    /**
     * @param timeout the longest wait.
     * @return {@code true} when the kernel has fully stopped.
     * @throws InterruptedException when interrupted.
     */
    public boolean awaitTermination(final Duration timeout) throws InterruptedException
    {
        return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Stop from outside, without telling the host (an in-process host or a test does this). */
    public void stop()
    {
        requestStop(new KernelExit(KernelExit.Kind.STOPPED, null, "stopped"));
    }

    /** Stop and wait for termination (bounded by twice the stop grace). */
    @Override
    public void close()
    {
        stop();
        try
        {
            awaitTermination(Duration.ofMillis(2 * config.stopGraceMs() + 1000));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the limit the guest puts on its own CPU use (a cooperation policy sets it; none by default). */
    public CpuLimit cpuLimit()
    {
        return cpuLimit;
    }

    /** @return times a vCPU rested because it had used its share under {@link #cpuLimit()}. */
    public long cpuLimitRests()
    {
        long sum = 0;
        for (final Vcpu vcpu : vcpus)
        {
            sum += vcpu.rests();
        }
        return sum;
    }

    /** @return safe points that saw the scheduler's preempt flag (each gave the vCPU's CPU slot back). */
    public long preemptRequests()
    {
        return platform.preemptRequests();
    }

    /** @return times a vCPU had work but no CPU slot, asked for one and waited (0 on a host without slots). */
    public long slotWaits()
    {
        return platform.slotWaits();
    }

    /**
     * @return times an idle vCPU that slept keeping its CPU slot ({@link KernelConfig#idleSlotKeepNs()})
     *         was woken by work and ran at once, without asking the host for a slot.
     */
    public long keptSlotWakes()
    {
        return platform.keptSlotWakes();
    }

    /** @return memory stats published in the balloon stats region (0 when the host gave none). */
    public long statsPublished()
    {
        return statsPublisher == null ? 0 : statsPublisher.publishes();
    }

    /** @return events dispatched to handlers. */
    public long eventsDelivered()
    {
        return events.delivered();
    }

    void shutdown(final ShutdownReason reason)
    {
        if (Vcpu.current() != null && isOwnVcpu(Vcpu.current()))
        {
            shutdownOnVcpu(reason);
        }
        else
        {
            vcpus[0].submit(ctx ->
            {
                shutdownOnVcpu(reason);
                return StepResult.DONE;
            });
        }
    }

    private void shutdownOnVcpu(final ShutdownReason reason)
    {
        final KernelExit shutdown = KernelExit.shutdown(reason);
        exit.compareAndSet(null, shutdown);
        try
        {
            drivers.shutdownAll();
        }
        catch (final HypercallAbortedException ex)
        {
            LOG.log(System.Logger.Level.DEBUG, "dom{0}: drivers not detached: {1}", domid, ex.getMessage());
        }
        stopping = true;
        try
        {
            hypercalls.schedShutdown(reason);
        }
        catch (final HypercallAbortedException ex)
        {
            LOG.log(System.Logger.Level.DEBUG, "dom{0}: shutdown not acknowledged: {1}", domid, ex.getMessage());
        }
        requestStop(shutdown);
    }

    private void start()
    {
        startInfo.guestLiveness().attach(config.epochClock().time());
        Thread.ofPlatform().name("dom" + domid + "-kernel").daemon(true).start(this::monitor);
        connectXenstore();
        for (final Vcpu vcpu : vcpus)
        {
            vcpu.start();
        }
        if (statsPublisher != null)
        {
            vcpus[0].submit(statsPublisher);
        }
        vcpus[0].submit(ctx ->
        {
            bringUpVcpus();
            setUpGrantTable();
            bindDomainException();
            ShutdownWatch.start(context);
            connectConsole();
            drivers.startAll(context);
            cooperation = KernelCooperation.start(context, memoryRequest, cpuLimit, this::logQuietly).orElse(null);
            new WorkloadLauncher(context, startInfo, this::fail).launch(vcpus.length);
            return StepResult.DONE;
        });
    }

    /**
     * Secondary vCPUs start down (as in Xen): bring them up (VCPUOP_up) before anything runs on
     * them, so the host schedules them. A host that refuses leaves that vCPU without CPU slots.
     */
    private void bringUpVcpus()
    {
        for (int k = 1; k < vcpus.length; k++)
        {
            final long result = hypercalls.vcpuUp(k);
            if (result < 0)
            {
                LOG.log(System.Logger.Level.DEBUG, "dom{0}: VCPUOP_up of vCPU {1}: {2}", domid, k, result);
            }
        }
    }

    /** Connect the xenstore client to the ring page and port the host gave (none: workloads see no xenstore). */
    private void connectXenstore()
    {
        final int port = startInfo.xenstorePort();
        if (regions.xenstore() != null && port > 0 && port < SharedInfoDescriptor.NR_EVENT_CHANNELS)
        {
            context.xenstore(KernelXenstore.connect(context, bits, regions.xenstore().payloadBuffer(), port));
        }
    }

    /** The kernel stops: xenstore goes from the context and its upcall handler goes. */
    private void disconnectXenstore()
    {
        final int port = startInfo.xenstorePort();
        if (context.xenstore().isPresent())
        {
            context.xenstore(null);
            events.unregister(port);
        }
    }

    /**
     * {@code GNTTABOP_setup_table} for every frame of the table the start info gives, so every
     * reference {@link GrantTable} hands out is one the hypervisor accepts (a Linux guest grows
     * the table on demand; the frames are already in the region here, so the kernel takes them all
     * at boot).
     */
    private void setUpGrantTable()
    {
        final int frames = (startInfo.grantEntries() + GrantEntryDescriptor.ENTRIES_PER_FRAME - 1) / GrantEntryDescriptor.ENTRIES_PER_FRAME;
        final long status = frames > 1 ? hypercalls.grantSetupTable(frames) : 0;
        if (status != 0)
        {
            LOG.log(System.Logger.Level.WARNING, "dom{0}: grant table stays at its first frame: setup_table({1}) = {2}", domid, frames, status);
        }
    }

    /** The host raises VIRQ_DOM_EXC when the toolstack shuts the domain down: the kernel then stops. */
    private void bindDomainException()
    {
        final long port = hypercalls.evtchnBindVirq(EventChannelOpDescriptor.VIRQ_DOM_EXC, 0);
        if (port > 0)
        {
            events.register((int)port, p -> requestStop(new KernelExit(KernelExit.Kind.STOPPED, null, "the host shut the domain down")));
        }
        else
        {
            LOG.log(System.Logger.Level.DEBUG, "dom{0}: VIRQ_DOM_EXC not bound: {1}", domid, port);
        }
    }

    /**
     * Set up the console ring and announce it on xenbus ({@code device/console/0}, which the
     * toolstack made); the console moves to the ring once dom0's backend is Connected. Without
     * xenstore or the device the console stays on {@code console_io}.
     */
    private void connectConsole()
    {
        context.xenstore().ifPresent(xenstore ->
        {
            try
            {
                context.kernelConsole().useRing(ConsoleFrontend.start(context, new GuestXenstoreAccess(xenstore),
                    ConsoleDevice.of(domid).frontendPath(), ConsoleFrontend.DEFAULT_FULL_WAIT_MS));
            }
            catch (final IllegalStateException | XenstoreAccessException ex)
            {
                LOG.log(System.Logger.Level.DEBUG, "dom{0}: console stays on console_io: {1}", domid, ex.getMessage());
            }
        });
    }

    private void fail(final String detail)
    {
        LOG.log(System.Logger.Level.ERROR, "dom{0}: {1}", domid, detail);
        exit.compareAndSet(null, new KernelExit(KernelExit.Kind.FAILED, null, detail));
        logQuietly(detail);
        shutdown(ShutdownReason.CRASH);
    }

    private void requestStop(final KernelExit why)
    {
        exit.compareAndSet(null, why);
        stopping = true;
        final CooperationRunner running = cooperation;
        if (running != null)
        {
            running.stop();
        }
        for (final Vcpu vcpu : vcpus)
        {
            vcpu.stop();
        }
        stopRequested.countDown();
    }

    private void monitor()
    {
        try
        {
            while (!stopping)
            {
                heartbeat();
                if (isHostGone())
                {
                    requestStop(new KernelExit(KernelExit.Kind.HOST_GONE, null, "host heartbeat stale or host process gone"));
                    break;
                }
                stopRequested.await(config.heartbeatIntervalMs(), TimeUnit.MILLISECONDS);
            }
            teardown();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            teardown();
        }
    }

    private void heartbeat()
    {
        final long nowMs = config.epochClock().time();
        startInfo.guestLiveness().heartbeat(nowMs);
        hypercallProducer.heartbeat();
        for (final ChannelConsumer consumer : responseConsumers)
        {
            consumer.heartbeat();
        }
    }

    private boolean isHostGone()
    {
        return startInfo.hostLiveness().isGone(config.epochClock().time(), config.hostTimeoutMs()) || hypercallProducer.isPeerGone();
    }

    private void teardown()
    {
        final boolean vcpusEnded = joinVcpus();
        if (vcpusEnded)
        {
            drivers.stopAll();
        }
        disconnectXenstore();
        startInfo.guestLiveness().markClosed();
        hypercallProducer.close();
        for (final ChannelConsumer consumer : responseConsumers)
        {
            consumer.close();
        }
        if (vcpusEnded)
        {
            regions.releaseAll();
        }
        else
        {
            LOG.log(System.Logger.Level.WARNING, "dom{0}: a vCPU is still in a step after {1} ms; regions left mapped", domid, config.stopGraceMs());
        }
        terminated.countDown();
    }

    private boolean joinVcpus()
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.stopGraceMs());
        boolean ended = true;
        for (final Vcpu vcpu : vcpus)
        {
            try
            {
                ended &= vcpu.join(Math.max(1, deadlineNs - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return ended;
    }

    private void onTaskFailure(final TaskHandle task, final Throwable failure)
    {
        onFailure("task on vCPU " + task.vcpuId(), failure);
    }

    /** A task or an event handler threw (on its vCPU): a gone host stops the kernel, anything else is logged and the vCPU goes on. */
    private void onFailure(final String where, final Throwable failure)
    {
        if (failure instanceof HypercallAbortedException aborted)
        {
            if (aborted.reason() == HypercallAbortedException.Reason.HOST_GONE)
            {
                requestStop(new KernelExit(KernelExit.Kind.HOST_GONE, null, aborted.getMessage()));
            }
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "dom" + domid + ": " + where + " failed", failure);
        logQuietly(where + " failed: " + failure);
    }

    private void logQuietly(final String line)
    {
        try
        {
            context.console().log(line);
        }
        catch (final HypercallAbortedException ignored)
        {
            // the host is gone or the kernel stops: nobody reads the console any more
        }
    }

    private boolean isOwnVcpu(final Vcpu vcpu)
    {
        return vcpu.id() < vcpus.length && vcpus[vcpu.id()] == vcpu;
    }

    /** Open every vCPU's response consumer; on failure close what was opened (and the producer), so a retry can attach. */
    private static ChannelConsumer[] openConsumers(
        final BootRegions regions, final int nrVcpus, final KernelConfig config, final ChannelProducer producer)
    {
        final ChannelConsumer[] consumers = new ChannelConsumer[nrVcpus];
        try
        {
            for (int k = 0; k < nrVcpus; k++)
            {
                consumers[k] = regions.vcpuResponses().get(k).openConsumer(config.epochClock(), config.waitConfig());
            }
            return consumers;
        }
        catch (final RuntimeException ex)
        {
            producer.close();
            for (final ChannelConsumer consumer : consumers)
            {
                if (consumer != null)
                {
                    consumer.close();
                }
            }
            throw ex;
        }
    }

    private static StartInfo validatedStartInfo(final BootRegions regions)
    {
        final StartInfo info = new StartInfo().wrap(regions.startInfo().payloadBuffer());
        final Optional<String> problem = info.problem();
        if (problem.isPresent())
        {
            throw new IllegalStateException("invalid start info: " + problem.get());
        }
        if (regions.vcpuResponses().size() < info.nrVcpus())
        {
            throw new IllegalStateException("start info says " + info.nrVcpus() + " vCPUs but " +
                regions.vcpuResponses().size() + " response channels were given");
        }
        return info;
    }

    /**
     * The memory region is sized to maxmem; frames up to {@code memory} are populated at boot and
     * online, the rest offline until the balloon driver brings them in.
     */
    private static GuestMemory guestMemory(final StartInfo info, final BootRegions regions)
    {
        final long regionFrames = regions.memory().payloadLength() / Pages.PAGE_SIZE;
        final long maxFrames = Math.min(Math.min(regionFrames, info.memoryPages()), info.maxmemKib() * 1024 / Pages.PAGE_SIZE);
        final long bootFrames = Math.min(maxFrames, info.memoryKib() * 1024 / Pages.PAGE_SIZE);
        return new GuestMemory(regions.memory().payloadBuffer(), (int)maxFrames, (int)bootFrames);
    }
}
