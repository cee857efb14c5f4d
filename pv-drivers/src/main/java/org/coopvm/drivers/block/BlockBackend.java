package org.coopvm.drivers.block;

import org.coopvm.drivers.BackendDevices;
import org.coopvm.drivers.BackendDutyCycle;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
 * <p>The control agent's duty cycle and the attach/remove bookkeeping are the ones every backend
 * shares ({@link BackendDutyCycle}, {@link BackendDevices}); this class is what is particular to disks.
 *
 * <p>Threading: the control agent's duty cycle on its thread, where xenstore watch events (and
 * so every xenbus callback) are delivered; {@link #detach} and the queries from any thread (all
 * share this object's monitor, never taken under the hypervisor lock or xenstored's, never taken
 * by a ring agent). Idle, the control agent parks until a watch event or a dying domain wakes it
 * (at most {@link #IDLE_PARK_MS} ms).
 */
public final class BlockBackend implements AutoCloseable
{
    /** Longest idle park of the control agent, in milliseconds. */
    public static final long IDLE_PARK_MS = 10_000;
    /** What the backend watches for devices the toolstack makes. */
    public static final String DEVICES_PATH = XenbusDevice.backendTypePath(0, BlkifDevice.TYPE);
    /** Most grant mappings kept per disk with persistent grants (Linux blkback's default). */
    public static final int MAX_PERSISTENT_GRANTS = 1056;

    private static final System.Logger LOG = System.getLogger(BlockBackend.class.getName());
    private static final BackendDutyCycle.Role ROLE = new BackendDutyCycle.Role("block-backend", DEVICES_PATH, Integer.MAX_VALUE);
    private static final long LOG_INTERVAL_NS = TimeUnit.SECONDS.toNanos(10);

    private final Hypervisor hypervisor;
    private final VbdListener listener;
    private final BackendDevices<VbdDevice> devices = new BackendDevices<>(this::remove);
    private final BackendDutyCycle<VbdDevice> control;
    private final XenstoredAccess xenstore;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong imageErrors = new AtomicLong();
    private final AtomicLong invalidStates = new AtomicLong();

    /**
     * @param hypervisor the hypervisor whose dom0 operations and xenstored the backend uses.
     * @param listener   told when disks come and go (metrics).
     */
    public BlockBackend(final Hypervisor hypervisor, final VbdListener listener)
    {
        this.hypervisor = hypervisor;
        this.listener = listener;
        this.control = new BackendDutyCycle<>(ROLE, hypervisor, new RingIdleStrategy(TimeUnit.MILLISECONDS.toNanos(IDLE_PARK_MS), false),
            this, devices, this::serveNew, this::checkHostile);
        this.xenstore = control.xenstore();
    }

    /**
     * Watch for disks and run the control agent on its own thread ({@code block-backend}). Call once.
     *
     * @return this.
     */
    public BlockBackend start()
    {
        control.start();
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
        return devices.detach(domid);
    }

    /**
     * @param domid a domain.
     * @param devid a virtual device number.
     * @return whether that disk's ring is being served.
     */
    public synchronized boolean isConnected(final int domid, final int devid)
    {
        final VbdDevice device = devices.get(domid, devid);
        return device != null && device.isConnected();
    }

    /**
     * @param domid a domain.
     * @param devid a virtual device number.
     * @return the disk's counters while the backend serves it.
     */
    public synchronized Optional<VbdCounters> counters(final int domid, final int devid)
    {
        return Optional.ofNullable(devices.get(domid, devid)).map(device -> device.counters);
    }

    /**
     * @param domid a domain.
     * @param devid a virtual device number.
     * @return grant mappings the disk's ring keeps (persistent grants), 0 when not connected.
     */
    public synchronized int persistentMappings(final int domid, final int devid)
    {
        final VbdDevice device = devices.get(domid, devid);
        return device == null || device.ring == null ? 0 : device.ring.persistentMappings();
    }

    /**
     * @param domid a domain.
     * @param devid a virtual device number.
     * @return the last problem the disk's frontend caused (what was logged), empty if none.
     */
    public synchronized Optional<String> lastProblem(final int domid, final int devid)
    {
        return Optional.ofNullable(devices.get(domid, devid)).map(device -> device.lastProblem);
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
        return control.agentErrors();
    }

    /** Stop the control agent, then release every disk and stop watching. */
    @Override
    public void close()
    {
        control.close();
    }

    /** @return 1 when a backend was started for the disk. */
    private int serveNew(final int domid, final int devid)
    {
        final Domain domain = hypervisor.domain(domid).orElse(null);
        if (domain == null || domain.isDying())
        {
            return 0; // a leftover directory of a domain going or gone
        }
        final String path = DEVICES_PATH + "/" + domid + "/" + devid;
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
            devices.refuse(domid, devid);
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
            device.xenbus = XenbusBackend.start(xenstore, path, new VbdDriver(hypervisor, device, this::connectRefused, control::wake,
                invalidStates::incrementAndGet));
        }
        catch (final XenstoreAccessException ex)
        {
            device.image.close();
            return 0;
        }
        devices.add(device.domid, device.devid, device.domain, device);
        listener.added(device.domid, device.name, device.counters);
        return 1;
    }

    private void connectRefused(final VbdDevice device, final String why)
    {
        refused.incrementAndGet();
        warn(device, "frontend refused: " + why);
    }

    /** The control agent's work for a disk of a live domain: disconnect a frontend that overran its ring. */
    private int checkHostile(final VbdDevice device)
    {
        return device.ring != null && device.ring.isHostile() ? disconnectHostile(device) : 0;
    }

    private int disconnectHostile(final VbdDevice device)
    {
        device.counters.add(VbdCounters.Value.HOSTILE_DISCONNECTS, 1);
        warn(device, "frontend disconnected: " + device.ring.faultDescription());
        device.xenbus.fail();
        return 1;
    }

    /** The disk left the registry: release it. */
    private void remove(final VbdDevice device)
    {
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
