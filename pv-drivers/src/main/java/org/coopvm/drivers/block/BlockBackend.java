package org.coopvm.drivers.block;

import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.status.AtomicCounter;
import org.coopvm.drivers.BackendAgents;
import org.coopvm.drivers.RingIdleStrategy;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.xenstore.XenstoredAccess;
import org.coopvm.rings.blkif.BlkifDevice;
import org.coopvm.rings.xenbus.XenbusBackend;
import org.coopvm.rings.xenbus.XenbusDevice;
import org.coopvm.rings.xenbus.XenbusState;
import org.coopvm.rings.xenbus.XenstoreAccessException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * dom0's block backend (blkback's role) for raw image files, driven by xenstore. Its control
 * agent ({@code block-backend}) watches {@code /local/domain/0/backend/vbd}: for each device the
 * toolstack made there ({@link BlkifDevice}: {@code params} the image, {@code mode} {@code r} or
 * {@code w}) it opens the image and starts a {@link XenbusBackend} that publishes the features
 * (flush, barrier, discard on a writable disk, persistent grants, {@code max-ring-page-order} 4)
 * with InitWait. When the frontend is Initialised it reads the frontend's keys
 * ({@link FrontendKeys}), maps the ring's pages ({@link RingPages}), binds the port, publishes
 * {@code sectors}, {@code sector-size} and {@code info}, starts the device's ring agent
 * ({@link BlkbackRing}, its own thread) and goes Connected. The ring agent serves requests; this
 * agent handles the xenbus side.
 *
 * <p>When the frontend closes or vanishes, the domain dies, the toolstack removes the device or
 * calls {@link #detach}, the ring agent stops and everything it held is released: port, grant
 * mappings (persistent ones too), ring pages, and, when the device goes, the image. A frontend
 * whose {@code req_prod} overruns its ring is disconnected (backend Closing) with a logged
 * reason; other devices and guests go on. Frontend keys that are not numbers, do not map or do
 * not bind are counted ({@link #refusedConnections()}) and the device goes Closing; an image that
 * does not open is counted ({@link #imageErrors()}), logged, and the device goes Closed.
 *
 * <p>Threading: {@link #doWork} on the control agent's thread, where xenstore watch events (and
 * so every xenbus callback) are delivered; {@link #detach} and the queries from any thread (all
 * share this object's monitor, never taken under the hypervisor lock or xenstored's, never taken
 * by a ring agent). Idle, the control agent parks until a watch event or a dying domain wakes it
 * (at most {@link #IDLE_PARK_MS} ms).
 */
public final class BlockBackend implements Agent, AutoCloseable
{
    /** Longest idle park of the control agent, in milliseconds. */
    public static final long IDLE_PARK_MS = 10_000;
    /** What the backend watches for devices the toolstack makes. */
    public static final String DEVICES_PATH = XenbusDevice.backendTypePath(0, BlkifDevice.TYPE);
    /** Most grant mappings kept per disk with persistent grants (Linux blkback's default). */
    public static final int MAX_PERSISTENT_GRANTS = 1056;

    private static final System.Logger LOG = System.getLogger(BlockBackend.class.getName());
    private static final String DEVICES_TOKEN = "block-backend";
    private static final long LOG_INTERVAL_NS = TimeUnit.SECONDS.toNanos(10);

    private final Hypervisor hypervisor;
    private final VbdListener listener;
    private final XenstoredAccess xenstore;
    private final Long2ObjectHashMap<VbdDevice> devices = new Long2ObjectHashMap<>();
    private final LongHashSet unopenable = new LongHashSet();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong imageErrors = new AtomicLong();
    private final AtomicLong invalidStates = new AtomicLong();
    private final AtomicLong agentErrors = new AtomicLong();
    private final RingIdleStrategy idle = new RingIdleStrategy(TimeUnit.MILLISECONDS.toNanos(IDLE_PARK_MS), false);
    private volatile Thread agentThread;
    private AgentRunner runner;
    private boolean rescanNeeded = true;

    /**
     * @param hypervisor the hypervisor whose dom0 operations and xenstored the backend uses.
     * @param listener   told when disks come and go (metrics).
     */
    public BlockBackend(final Hypervisor hypervisor, final VbdListener listener)
    {
        this.hypervisor = hypervisor;
        this.listener = listener;
        this.xenstore = XenstoredAccess.dom0(hypervisor.xenstored(), this::wake);
        BackendAgents.wakeWhenDying(hypervisor, this::wake);
    }

    /**
     * Watch for disks and run the control agent on its own thread ({@code block-backend}). Call once.
     *
     * @return this.
     */
    public synchronized BlockBackend start()
    {
        if (runner == null)
        {
            xenstore.watch(DEVICES_PATH, DEVICES_TOKEN, (path, token) -> devicesChanged(path));
            runner = new AgentRunner(idle, throwable -> agentErrors.incrementAndGet(), (AtomicCounter)null, this);
            AgentRunner.startOnThread(runner, Thread.ofPlatform().name("block-backend").daemon(true).factory());
        }
        return this;
    }

    /**
     * Stop serving a domain's disks now: stop their rings, release port, mappings and ring, close
     * the images, mark the devices Closing then Closed. The toolstack calls it when it destroys
     * the domain, before it removes the devices' directories.
     *
     * @param domid the domain.
     * @return disks released (0 when the agent saw the domain die first).
     */
    public synchronized int detach(final int domid)
    {
        final List<VbdDevice> gone = new ArrayList<>();
        for (final VbdDevice device : devices.values())
        {
            if (device.domid == domid)
            {
                gone.add(device);
            }
        }
        gone.forEach(this::remove);
        return gone.size();
    }

    /**
     * @param domid a domain.
     * @param devid a virtual device number.
     * @return whether that disk's ring is being served.
     */
    public synchronized boolean isConnected(final int domid, final int devid)
    {
        final VbdDevice device = devices.get(VbdDevice.key(domid, devid));
        return device != null && device.isConnected();
    }

    /**
     * @param domid a domain.
     * @param devid a virtual device number.
     * @return the disk's counters while the backend serves it.
     */
    public synchronized Optional<VbdCounters> counters(final int domid, final int devid)
    {
        return Optional.ofNullable(devices.get(VbdDevice.key(domid, devid))).map(device -> device.counters);
    }

    /**
     * @param domid a domain.
     * @param devid a virtual device number.
     * @return grant mappings the disk's ring keeps (persistent grants), 0 when not connected.
     */
    public synchronized int persistentMappings(final int domid, final int devid)
    {
        final VbdDevice device = devices.get(VbdDevice.key(domid, devid));
        return device == null || device.ring == null ? 0 : device.ring.persistentMappings();
    }

    /**
     * @param domid a domain.
     * @param devid a virtual device number.
     * @return the last problem the disk's frontend caused (what was logged), empty if none.
     */
    public synchronized Optional<String> lastProblem(final int domid, final int devid)
    {
        return Optional.ofNullable(devices.get(VbdDevice.key(domid, devid))).map(device -> device.lastProblem);
    }

    /** @return disks served (connected, or waiting for their frontend). */
    public synchronized int attached()
    {
        return devices.size();
    }

    /** @return frontends whose keys were not numbers, did not map or did not bind. */
    public long refusedConnections()
    {
        return refused.get();
    }

    /** @return images that could not be opened. */
    public long imageErrors()
    {
        return imageErrors.get();
    }

    /** @return frontend state values that were not a xenbus state. */
    public long invalidStates()
    {
        return invalidStates.get();
    }

    /** @return exceptions the control agent caught (should stay 0). */
    public long agentErrors()
    {
        return agentErrors.get();
    }

    @Override
    public void onStart()
    {
        agentThread = Thread.currentThread();
    }

    @Override
    public synchronized int doWork()
    {
        int work = xenstore.pollEvents();
        if (rescanNeeded)
        {
            rescanNeeded = false;
            work += rescan();
        }
        List<VbdDevice> dying = null;
        for (final VbdDevice device : devices.values())
        {
            if (device.domain.isDying())
            {
                dying = BackendAgents.add(dying, device);
            }
            else if (device.ring != null && device.ring.isHostile())
            {
                work += disconnectHostile(device);
            }
        }
        if (dying != null)
        {
            dying.forEach(this::remove);
            work += dying.size();
        }
        return work;
    }

    @Override
    public String roleName()
    {
        return "block-backend";
    }

    /** Stop the control agent, then release every disk and stop watching. */
    @Override
    public void close()
    {
        final AgentRunner toClose;
        synchronized (this)
        {
            toClose = runner;
        }
        if (toClose != null)
        {
            idle.stopParking(agentThread);
            toClose.close();
        }
        synchronized (this)
        {
            List.copyOf(devices.values()).forEach(this::remove);
            xenstore.close();
        }
    }

    private void wake()
    {
        final Thread thread = agentThread;
        if (thread != null)
        {
            LockSupport.unpark(thread);
        }
    }

    /** The devices watch fired: look again when a device directory came or went (not for its keys). */
    private void devicesChanged(final String path)
    {
        if (BackendAgents.isDeviceDirectoryChange(DEVICES_PATH, path))
        {
            rescanNeeded = true;
        }
    }

    /** @return disks added or removed. */
    private int rescan()
    {
        int work = 0;
        final LongHashSet listed = new LongHashSet();
        for (final String frontend : xenstore.directory(DEVICES_PATH))
        {
            final long domid = FrontendKeys.parse(Optional.of(frontend), 0x7FF0);
            for (final String id : domid > 0 ? xenstore.directory(DEVICES_PATH + "/" + frontend) : List.<String>of())
            {
                final long devid = FrontendKeys.parse(Optional.of(id), Integer.MAX_VALUE);
                if (devid >= 0)
                {
                    final long key = VbdDevice.key((int)domid, (int)devid);
                    listed.add(key);
                    work += devices.containsKey(key) || unopenable.contains(key) ? 0 : serveNew((int)domid, (int)devid);
                }
            }
        }
        for (final VbdDevice device : List.copyOf(devices.values()))
        {
            if (!listed.contains(device.key()))
            {
                remove(device); // the toolstack removed the device
                work++;
            }
        }
        unopenable.removeIf(key -> !listed.contains(key));
        return work;
    }

    /** @return 1 when a backend was started for the disk. */
    private int serveNew(final int domid, final int devid)
    {
        final Domain domain = hypervisor.domain(domid).orElse(null);
        if (domain == null || domain.isDying())
        {
            return 0; // a leftover directory of a domain going or gone
        }
        final String path = XenbusDevice.backendTypePath(0, BlkifDevice.TYPE) + "/" + domid + "/" + devid;
        final Optional<String> params = xenstore.read(path + "/" + BlkifDevice.PARAMS);
        final Optional<String> mode = xenstore.read(path + "/" + BlkifDevice.MODE);
        if (params.isEmpty() || mode.isEmpty())
        {
            return 0; // not a complete device directory (the toolstack makes them in one transaction): skipped
        }
        final String name = xenstore.read(path + "/" + BlkifDevice.DEV).orElse(Integer.toString(devid));
        final DiskImage image;
        try
        {
            image = DiskImage.open(Path.of(params.get()), "r".equals(mode.get()));
        }
        catch (final IOException | RuntimeException ex)
        {
            imageErrors.incrementAndGet();
            unopenable.add(VbdDevice.key(domid, devid));
            LOG.log(System.Logger.Level.WARNING, "dom{0} {1}: cannot open image {2}: {3}", domid, name, params.get(), ex.toString());
            closeDirectory(path);
            return 0;
        }
        return startDevice(new VbdDevice(domid, devid, name, domain, image), path);
    }

    private int startDevice(final VbdDevice device, final String path)
    {
        try
        {
            device.xenbus = XenbusBackend.start(xenstore, path, new VbdDriver(hypervisor, device, this::connectRefused, this::wake,
                invalidStates::incrementAndGet));
        }
        catch (final XenstoreAccessException ex)
        {
            device.image.close();
            return 0;
        }
        devices.put(device.key(), device);
        listener.added(device.domid, device.name, device.counters);
        return 1;
    }

    private void connectRefused(final VbdDevice device, final String why)
    {
        refused.incrementAndGet();
        warn(device, "frontend refused: " + why);
    }

    private int disconnectHostile(final VbdDevice device)
    {
        device.counters.add(VbdCounters.Value.HOSTILE_DISCONNECTS, 1);
        warn(device, "frontend disconnected: " + device.ring.faultDescription());
        device.xenbus.fail();
        return 1;
    }

    private void remove(final VbdDevice device)
    {
        devices.remove(device.key());
        device.xenbus.close(); // disconnects (stops the ring, releases it) and goes Closing then Closed
        device.image.close();
        listener.removed(device.domid, device.name);
    }

    /** The image cannot be opened: the device goes Closed, so its frontend stops waiting. */
    private void closeDirectory(final String path)
    {
        try
        {
            xenstore.transaction(tx ->
            {
                if (tx.read(path + "/" + XenbusDevice.STATE).isPresent())
                {
                    tx.write(path + "/" + XenbusDevice.STATE, XenbusState.CLOSED.text());
                }
                return null;
            });
        }
        catch (final XenstoreAccessException ignored)
        {
            // the directory went meanwhile: nothing waits on it
        }
    }

    /** Guest-triggered warnings: kept as the device's last problem, logged at most once per {@link #LOG_INTERVAL_NS} per disk. */
    private static void warn(final VbdDevice device, final String problem)
    {
        device.lastProblem = problem;
        final long nowNs = System.nanoTime();
        if (device.warnings++ == 0 || nowNs - device.lastWarningNs >= LOG_INTERVAL_NS)
        {
            device.lastWarningNs = nowNs;
            LOG.log(System.Logger.Level.WARNING, "{0}: {1}", device, problem);
        }
    }

}
