package org.coopvm.cli.toolstack;

import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.coopvm.balloon.engine.DecisionListener;
import org.coopvm.balloon.host.ConvergenceListener;
import org.coopvm.balloon.host.HostBalloon;
import org.coopvm.balloon.policy.PolicyCatalog;
import org.coopvm.drivers.block.BlockBackend;
import org.coopvm.drivers.net.NetBackend;
import org.coopvm.drivers.console.ConsoleBackend;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.api.BalloonDecisionInfo;
import org.coopvm.hypervisor.api.BalloonPolicyInfo;
import org.coopvm.hypervisor.api.ConvergenceReport;
import org.coopvm.hypervisor.api.DomainInfo;
import org.coopvm.hypervisor.api.Errno;
import org.coopvm.hypervisor.api.HostControl;
import org.coopvm.hypervisor.api.HostControlException;
import org.coopvm.hypervisor.api.HostInfo;
import org.coopvm.hypervisor.api.SchedDomainInfo;
import org.coopvm.hypervisor.api.SchedDomainRequest;
import org.coopvm.hypervisor.api.SchedHostInfo;
import org.coopvm.hypervisor.api.SchedHostRequest;
import org.coopvm.hypervisor.api.SchedInfo;
import org.coopvm.hypervisor.api.ShutdownReason;
import org.coopvm.hypervisor.api.VcpuInfo;
import org.coopvm.hypervisor.config.ConfigException;
import org.coopvm.hypervisor.config.DomainConfig;
import org.coopvm.hypervisor.config.HostConfig;
import org.coopvm.hypervisor.config.Isolation;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainStatus;
import org.coopvm.hypervisor.memory.MemoryPool;
import org.coopvm.hypervisor.memory.PoolShortException;
import org.coopvm.hypervisor.sched.runtime.GuestProcesses;
import org.coopvm.hypervisor.sched.runtime.SchedListener;
import org.coopvm.hypervisor.trace.Tracer;
import org.coopvm.hypervisor.xenstore.XenstoredAccess;
import org.coopvm.rings.console.ConsoleDevice;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CoopVM's toolstack: the {@link HostControl} the management API calls. It builds a domain
 * from its config (the hypervisor's memory pool admits it or not), starts its guest, and carries
 * out what the config says when a guest powers off, reboots or crashes ({@link ShutdownActions});
 * it asks guests to shut down through {@code control/shutdown} ({@link ShutdownRequests}); a
 * {@link GuestWatch} notices guests that die or stop heartbeating. Like libxl it makes each
 * domain's console device, virtual disks and vifs in xenstore ({@link ConsoleDevice},
 * {@link DiskAttachments}, {@link VifAttachments}: both xenbus directories) before the guest boots, and removes them once
 * dom0's console, block and net backends have let go of them. It runs the host's
 * balloon ({@link HostBalloon}: convergence reports, and the policy engine when a policy is
 * chosen) and the memory operations ({@link BalloonControl}: {@code mem-set}, {@code mem-max},
 * the balloon policy).
 *
 * <p>Thread safety: API threads and the housekeeping thread call in concurrently. Changes to the
 * set of domains are serialized on this object's monitor; the monitor is always taken before the
 * hypervisor lock, never inside it (hypervisor listeners only hand work to housekeeping).
 */
public final class Toolstack implements HostControl
{
    /** Directory under the run directory for guest JVM output. */
    public static final String LOG_DIR = "logs";
    /** Directory under the run directory for console output. */
    public static final String CONSOLE_DIR = "console";

    private static final Duration GUEST_EXIT_WAIT = Duration.ofSeconds(5);
    private static final long PAGES_PER_MIB = 256;

    private final HostConfig host;
    private final Hypervisor hypervisor;
    private final Tracer tracer;
    private final ConsoleFiles consoles;
    private final ConsoleBackend consoleBackend;
    private final BlockBackend blockBackend;
    private final DiskAttachments disks;
    private final NetBackend netBackend;
    private final VifAttachments vifs;
    private final GuestLauncher launcher;
    private final Housekeeping housekeeping;
    private final ShutdownRequests shutdowns;
    private final XenstoredAccess xenstore;
    private final Map<Integer, DomainRecord> records = new ConcurrentHashMap<>();
    private final BalloonControl balloon;
    private final SchedControl sched;
    private final long startedAtMs = SystemEpochClock.INSTANCE.time();
    private boolean stopped;

    Toolstack(final HostConfig host, final Hypervisor hypervisor, final Tracer tracer, final ConsoleFiles consoles,
        final ConsoleBackend consoleBackend, final BlockBackend blockBackend, final NetBackend netBackend, final Housekeeping housekeeping,
        final PolicyCatalog policies, final DecisionListener decisions, final ConvergenceListener reports)
    {
        this.consoleBackend = consoleBackend;
        this.blockBackend = blockBackend;
        this.host = host;
        this.hypervisor = hypervisor;
        this.tracer = tracer;
        this.consoles = consoles;
        this.housekeeping = housekeeping;
        this.launcher = new GuestLauncher(hypervisor, host.runDir());
        this.shutdowns = new ShutdownRequests(this, hypervisor, housekeeping, tracer, host.shutdownTimeoutMs());
        this.xenstore = XenstoredAccess.dom0(hypervisor.xenstored(), () -> { }); // sets no watches
        this.disks = new DiskAttachments(xenstore, blockBackend);
        this.netBackend = netBackend;
        this.vifs = new VifAttachments(xenstore, netBackend);
        this.balloon = new BalloonControl(hypervisor, xenstore, HostBalloon.start(hypervisor, policies, host.balloonPolicy(),
            host.balloonPolicyArgs(), host.convergence(), this::memoryWeight, decisions, reports, new SystemNanoClock(),
            SystemEpochClock.INSTANCE));
        final CpuUsage usage = new CpuUsage(hypervisor.cpuScheduler(), new SystemNanoClock());
        this.sched = new SchedControl(hypervisor.cpuScheduler(), usage);
        housekeeping.every(CpuUsage.PERIOD_MS, usage);
    }

    @Override
    public List<DomainInfo> list()
    {
        final List<DomainInfo> infos = new ArrayList<>();
        for (final Domain domain : hypervisor.domains())
        {
            final DomainRecord record = records.get(domain.domid());
            if (!domain.isControlDomain() && record != null)
            {
                infos.add(DomainViews.info(hypervisor, domain, record, balloon.state(domain), sched.cpu(domain)));
            }
        }
        return infos;
    }

    @Override
    public synchronized DomainInfo create(final DomainConfig config)
    {
        checkRunning();
        checkNameFree(config.name());
        checkCoopPolicy(config);
        final Domain domain = buildDomain(config);
        final DomainRecord record = DomainRecord.of(domain.domid(), config, startGuest(domain, config), SystemEpochClock.INSTANCE.time());
        records.put(domain.domid(), record);
        tracer.domainStarted(domain.domid());
        record.guest().onExit(exitCode -> housekeeping.execute(() -> guestExited(record, exitCode)));
        return DomainViews.info(hypervisor, domain, record, balloon.state(domain), sched.cpu(domain));
    }

    @Override
    public DomainInfo info(final String nameOrDomid)
    {
        final DomainRecord record = record(nameOrDomid);
        final Domain domain = domain(record.domid());
        return DomainViews.info(hypervisor, domain, record, balloon.state(domain), sched.cpu(domain));
    }

    @Override
    public synchronized void pause(final String nameOrDomid)
    {
        final DomainRecord record = record(nameOrDomid);
        requireStatus(record, DomainStatus.RUNNING, "pause");
        hypervisor.pause(record.domid()); // the CPU scheduler stops a process guest through guestProcesses()
    }

    @Override
    public synchronized void unpause(final String nameOrDomid)
    {
        final DomainRecord record = record(nameOrDomid);
        requireStatus(record, DomainStatus.PAUSED, "unpause");
        resume(record);
    }

    /** Through {@code control/shutdown} when the guest handles it, else (or forced) in the hypervisor ({@link ShutdownRequests}). */
    @Override
    public void shutdown(final String nameOrDomid, final ShutdownReason reason, final boolean force)
    {
        shutdowns.request(record(nameOrDomid), reason, force);
    }

    @Override
    public void reboot(final String nameOrDomid)
    {
        shutdown(nameOrDomid, ShutdownReason.REBOOT, false);
    }

    @Override
    public synchronized void destroy(final String nameOrDomid)
    {
        destroy(record(nameOrDomid));
    }

    /** One reading of the CPU scheduler's books for all the domains asked for, so slots never show twice. */
    @Override
    public List<VcpuInfo> vcpus(final String nameOrDomid)
    {
        final int domid = nameOrDomid == null ? -1 : record(nameOrDomid).domid();
        return DomainViews.vcpus(hypervisor, domid, records::containsKey);
    }

    @Override
    public void consoleInput(final String nameOrDomid, final byte[] bytes)
    {
        final DomainRecord record = record(nameOrDomid);
        final int result = consoleBackend.input(record.domid(), bytes);
        if (result == -org.coopvm.rings.hypercall.Errno.EAGAIN)
        {
            throw new HostControlException(Errno.EAGAIN, "the console input of " + record.config().name() +
                " is full: the guest is not reading it");
        }
        if (result < 0)
        {
            throw new HostControlException(Errno.ENOENT, "domain " + record.config().name() + " has no console");
        }
    }

    @Override
    public void memSet(final String nameOrDomid, final long targetKib)
    {
        balloon.memSet(domain(record(nameOrDomid).domid()), targetKib);
    }

    @Override
    public void memMax(final String nameOrDomid, final long maxKib)
    {
        balloon.memMax(domain(record(nameOrDomid).domid()), maxKib);
    }

    @Override
    public BalloonPolicyInfo balloonPolicy()
    {
        return balloon.policy();
    }

    @Override
    public BalloonPolicyInfo setBalloonPolicy(final String name, final List<String> arguments)
    {
        return balloon.setPolicy(name, arguments);
    }

    @Override
    public List<BalloonDecisionInfo> balloonDecisions(final String nameOrDomid)
    {
        return balloon.decisions(nameOrDomid == null ? -1 : record(nameOrDomid).domid());
    }

    @Override
    public List<ConvergenceReport> balloonReports(final String nameOrDomid)
    {
        return balloon.reports(nameOrDomid == null ? -1 : record(nameOrDomid).domid());
    }

    @Override
    public SchedInfo sched(final String nameOrDomid)
    {
        final List<SchedDomainInfo> domains = new ArrayList<>();
        final List<Domain> wanted = nameOrDomid == null ? hypervisor.domains() : List.of(domain(record(nameOrDomid).domid()));
        for (final Domain domain : wanted)
        {
            final SchedDomainInfo info = records.containsKey(domain.domid()) ? sched.domain(domain) : null;
            if (info != null)
            {
                domains.add(info);
            }
        }
        return new SchedInfo(sched.host(), domains);
    }

    @Override
    public SchedDomainInfo setSched(final String nameOrDomid, final SchedDomainRequest change)
    {
        return sched.set(domain(record(nameOrDomid).domid()), change);
    }

    @Override
    public SchedHostInfo setSchedHost(final SchedHostRequest change)
    {
        return sched.setHost(change);
    }

    @Override
    public HostInfo hostInfo()
    {
        final MemoryPool pool = hypervisor.memoryPool();
        return new HostInfo(ProcessHandle.current().pid(), host.poolMib(), (int)(pool.freePages() / PAGES_PER_MIB),
            hypervisor.cpuScheduler().settings().slots(), host.runDir().toString(), SystemEpochClock.INSTANCE.time() - startedAtMs,
            records.size(), hypervisor.cpuScheduler().algorithm());
    }

    @Override
    public synchronized void stop()
    {
        if (stopped)
        {
            return;
        }
        stopped = true;
        housekeeping.close();
        balloon.close();
        List.copyOf(records.values()).forEach(this::destroy);
        consoleBackend.close();
        blockBackend.close();
        netBackend.close();
        xenstore.close();
        tracer.hostStopped();
        hypervisor.close();
        tracer.close();
        consoles.close();
    }

    /**
     * Housekeeping: the guest of {@code record} ended. A guest that ends without having shut
     * down crashed; then the domain's shutdown action runs.
     */
    void guestExited(final DomainRecord record, final int exitCode)
    {
        if (!isCurrent(record))
        {
            return; // destroyed (or replaced) already
        }
        if (record.guest().pid() >= 0)
        {
            tracer.guestProcessDied(record.domid(), exitCode);
        }
        hypervisor.shutdown(record.domid(), ShutdownReason.CRASH.code(), "guest exited with code " + exitCode +
            " without shutting down");
        applyShutdownAction(record.domid());
    }

    /**
     * Housekeeping: the guest of a domain seems dead (heartbeat lost). Kill it; its exit then
     * takes the crash path.
     */
    void guestUnresponsive(final DomainRecord record, final String why)
    {
        if (records.get(record.domid()) == record && record.guest().isAlive())
        {
            hypervisor.shutdown(record.domid(), ShutdownReason.CRASH.code(), why);
            record.guest().kill();
        }
    }

    /** Housekeeping: the domain shut down; do what its config says (once). */
    synchronized void applyShutdownAction(final int domid)
    {
        final DomainRecord record = records.get(domid);
        final Domain domain = hypervisor.domain(domid).orElse(null);
        if (record == null || domain == null || domain.status() != DomainStatus.SHUTDOWN ||
            !record.shutdownHandled().compareAndSet(false, true))
        {
            return;
        }
        if (!record.guest().awaitExit(GUEST_EXIT_WAIT))
        {
            record.guest().kill();
        }
        ShutdownActions.apply(this, record, ShutdownReason.fromCode(domain.shutdownCode()));
    }

    /** The {@code destroy} action: end the guest, then free everything the domain held. */
    synchronized void destroy(final DomainRecord record)
    {
        if (records.remove(record.domid(), record))
        {
            record.guest().kill();
            hypervisor.destroyDomain(record.domid());
            removeDevices(record.domid(), record.config());
            consoles.close(record.domid());
        }
    }

    /** The {@code restart} action: destroy, then create again from the same config. */
    synchronized void restart(final DomainRecord record)
    {
        destroy(record);
        if (!stopped)
        {
            create(record.config());
        }
    }

    /** A paused guest must run to see a shutdown request: unpause it. */
    synchronized void unpauseForShutdown(final DomainRecord record)
    {
        if (isCurrent(record) && domain(record.domid()).status() == DomainStatus.PAUSED)
        {
            resume(record);
        }
    }

    /** @return whether {@code record} is still the toolstack's record of its domain (not destroyed, not replaced). */
    boolean isCurrent(final DomainRecord record)
    {
        return records.get(record.domid()) == record;
    }

    /** @return the domains the toolstack manages, for the guest watch. */
    List<DomainRecord> records()
    {
        return List.copyOf(records.values());
    }

    /**
     * @param domid a domain.
     * @return its {@code memory_weight}, or the default for a domain the toolstack does not manage.
     */
    int memoryWeight(final int domid)
    {
        final DomainRecord record = records.get(domid);
        return record == null ? DomainConfig.DEFAULT_WEIGHT : record.config().memoryWeight();
    }

    /** @return the host's balloon (tracker, engine). */
    HostBalloon hostBalloon()
    {
        return balloon.hostBalloon();
    }

    /** @return the hypervisor. */
    Hypervisor hypervisor()
    {
        return hypervisor;
    }

    private void resume(final DomainRecord record)
    {
        record.unpausedAt(SystemEpochClock.INSTANCE.time());
        hypervisor.unpause(record.domid()); // continued by the CPU scheduler, unless it suspended the domain meanwhile
    }

    /**
     * What the toolstack hears from the CPU scheduler: when a suspension for overruns ends, the
     * guest (a process guest was stopped meanwhile) gets the heartbeat timeout again before the
     * guest watch may call it dead, as after an unpause. Called under the scheduler's lock: looks
     * the record up without the toolstack's monitor.
     *
     * @return the listener.
     */
    SchedListener schedListener()
    {
        return new SchedListener()
        {
            @Override
            public void onResumed(final int domid)
            {
                final DomainRecord record = records.get(domid);
                if (record != null)
                {
                    record.unpausedAt(SystemEpochClock.INSTANCE.time());
                }
            }
        };
    }

    /**
     * What the CPU scheduler needs from the toolstack about process guests: the pid of each (for
     * CPU accounting from its vCPU threads' schedstat), and {@code SIGSTOP}/{@code SIGCONT} (the
     * scheduler stops a process guest while it is paused or suspended for ignoring preemption, and
     * continues it only when it is neither). Looks records up without the toolstack's monitor: the
     * scheduler calls under its own lock.
     *
     * @return the hook.
     */
    GuestProcesses guestProcesses()
    {
        return new GuestProcesses()
        {
            @Override
            public long pid(final int domid)
            {
                final DomainRecord record = records.get(domid);
                return record == null ? -1 : record.guest().pid();
            }

            @Override
            public boolean stop(final int domid)
            {
                return signal(domid, true);
            }

            @Override
            public boolean resume(final int domid)
            {
                return signal(domid, false);
            }
        };
    }

    private boolean signal(final int domid, final boolean stop)
    {
        final DomainRecord record = records.get(domid);
        if (record == null || record.guest().pid() < 0)
        {
            return false;
        }
        if (stop)
        {
            record.guest().pause();
        }
        else
        {
            record.guest().unpause();
        }
        return true;
    }

    private Domain buildDomain(final DomainConfig config)
    {
        try
        {
            return hypervisor.createDomain(DomainViews.spec(config));
        }
        catch (final PoolShortException ex)
        {
            throw new HostControlException(Errno.ENOMEM, ex.getMessage(), ex);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new HostControlException(Errno.EINVAL, "cannot build domain " + config.name() + ": " + ex.getMessage(), ex);
        }
    }

    private Guest startGuest(final Domain domain, final DomainConfig config)
    {
        try
        {
            ConsoleDevice.create(xenstore, domain.domid()); // before the guest boots, as libxl adds devices
            disks.attach(domain.domid(), config, records.values());
            vifs.attach(domain.domid(), config, records.values());
            return domain.spec().inProcess() ? launcher.bootInProcess(domain) : launcher.launchProcess(domain);
        }
        catch (final HostControlException ex)
        {
            hypervisor.destroyDomain(domain.domid());
            removeDevices(domain.domid(), config);
            throw ex;
        }
        catch (final IOException | RuntimeException ex)
        {
            hypervisor.destroyDomain(domain.domid());
            removeDevices(domain.domid(), config);
            throw new HostControlException(Errno.EIO, "cannot start the guest of " + domain.name() + ": " + ex.getMessage(), ex);
        }
    }

    /** The backends let go of the console, the disks and the vifs (drain, unmap, close), then their xenstore directories go. */
    private void removeDevices(final int domid, final DomainConfig config)
    {
        consoleBackend.detach(domid);
        ConsoleDevice.remove(xenstore, domid);
        disks.detach(domid, config);
        vifs.detach(domid, config);
    }

    private void checkRunning()
    {
        if (stopped)
        {
            throw new HostControlException(Errno.EBUSY, "the host is stopping");
        }
    }

    private static void checkCoopPolicy(final DomainConfig config)
    {
        try
        {
            ToolstackFactory.checkCoopPolicy(config, "", config.name());
        }
        catch (final ConfigException ex)
        {
            throw new HostControlException(Errno.EINVAL, "cannot build domain " + ex.getMessage(), ex);
        }
    }

    private void checkNameFree(final String name)
    {
        if (hypervisor.domain(name).isPresent())
        {
            throw new HostControlException(Errno.EEXIST, "a domain named " + name + " exists");
        }
    }

    private void requireStatus(final DomainRecord record, final DomainStatus wanted, final String verb)
    {
        final DomainStatus status = domain(record.domid()).status();
        if (status != wanted)
        {
            throw new HostControlException(Errno.EBUSY, "cannot " + verb + " " + record.config().name() + ": it is " +
                status.name().toLowerCase());
        }
    }

    private DomainRecord record(final String nameOrDomid)
    {
        final Domain domain = DomainViews.lookup(hypervisor, nameOrDomid)
            .orElseThrow(() -> new HostControlException(Errno.ENOENT, "no domain " + nameOrDomid));
        final DomainRecord record = records.get(domain.domid());
        if (record == null)
        {
            throw new HostControlException(Errno.ENOENT, "no domain " + nameOrDomid);
        }
        return record;
    }

    private Domain domain(final int domid)
    {
        return hypervisor.domain(domid).orElseThrow(() -> new HostControlException(Errno.ENOENT, "no domain " + domid));
    }

    static boolean isInProcess(final DomainConfig config)
    {
        return config.isolation() == Isolation.IN_PROCESS;
    }
}
