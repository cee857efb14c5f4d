package org.coopvm.drivers.net;

import org.agrona.concurrent.NanoClock;
import org.coopvm.drivers.BackendDevices;
import org.coopvm.drivers.BackendDutyCycle;
import org.coopvm.drivers.RingIdleStrategy;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.xenstore.XenstoredAccess;
import org.coopvm.rings.netif.MacAddress;
import org.coopvm.rings.netif.NetifDevice;
import org.coopvm.rings.xenbus.XenbusBackend;
import org.coopvm.rings.xenbus.XenbusDevice;
import org.coopvm.rings.xenbus.XenstoreAccessException;
import org.coopvm.rings.xenbus.XenstoreNumbers;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * dom0's network backend (netback's role) and its software switch, driven by xenstore. Its control
 * agent ({@code net-backend}) watches {@code /local/domain/0/backend/vif}: for each device the
 * toolstack made there ({@link NetifDevice}: {@code mac}, optional {@code rate} and
 * {@code rate-packets}) it starts a {@link XenbusBackend} that publishes the features with
 * InitWait. When the frontend is Initialised it maps the tx and rx rings, binds the port, starts
 * the vif's agent ({@link NetbackRing}, its own thread), attaches it to the {@link NetSwitch} and
 * goes Connected.
 *
 * <p>When the frontend closes or vanishes, the domain dies, the toolstack removes the device or
 * calls {@link #detach}, the vif leaves the switch and everything it held is released: port, ring
 * and buffer mappings. A frontend whose {@code req_prod} overruns a ring is disconnected (backend
 * Closing) with a logged reason; other vifs go on.
 *
 * <p>The control agent's duty cycle and the attach/remove bookkeeping are the ones every backend
 * shares ({@link BackendDutyCycle}, {@link BackendDevices}); this class is what is particular to vifs.
 *
 * <p>Threading: the control agent's duty cycle on its thread; {@link #detach} and the queries
 * from any thread (this object's monitor). Idle, the control agent parks until a watch event or a
 * dying domain wakes it (at most {@link #IDLE_PARK_MS} ms).
 */
public final class NetBackend implements AutoCloseable
{
    /** Longest idle park of the control agent, in milliseconds. */
    public static final long IDLE_PARK_MS = 10_000;
    /** What the backend watches for devices the toolstack makes. */
    public static final String DEVICES_PATH = XenbusDevice.backendTypePath(0, NetifDevice.TYPE);

    private static final System.Logger LOG = System.getLogger(NetBackend.class.getName());
    private static final BackendDutyCycle.Role ROLE = new BackendDutyCycle.Role("net-backend", DEVICES_PATH, 255);
    private static final long LOG_INTERVAL_NS = TimeUnit.SECONDS.toNanos(10);

    private final Hypervisor hypervisor;
    private final NanoClock clock;
    private final VifListener listener;
    private final NetSwitch netSwitch = new NetSwitch();
    private final BackendDevices<VifDevice> devices = new BackendDevices<>(this::remove);
    private final BackendDutyCycle<VifDevice> control;
    private final XenstoredAccess xenstore;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong invalidStates = new AtomicLong();
    private long warnings;
    private long lastWarningNs;

    /**
     * @param hypervisor the hypervisor whose dom0 operations and xenstored the backend uses.
     * @param clock      the rate limiters' clock.
     * @param listener   told when vifs come and go (metrics).
     */
    public NetBackend(final Hypervisor hypervisor, final NanoClock clock, final VifListener listener)
    {
        this.hypervisor = hypervisor;
        this.clock = clock;
        this.listener = listener;
        this.control = new BackendDutyCycle<>(ROLE, hypervisor, new RingIdleStrategy(TimeUnit.MILLISECONDS.toNanos(IDLE_PARK_MS), false),
            this, devices, this::serveNew, this::checkHostile);
        this.xenstore = control.xenstore();
    }

    /**
     * Watch for vifs and run the control agent on its own thread ({@code net-backend}). Call once.
     *
     * @return this.
     */
    public NetBackend start()
    {
        control.start();
        return this;
    }

    /**
     * Stop serving a domain's vifs now (Closing, then Closed, everything released). The toolstack
     * calls it when it destroys the domain, before it removes the devices' directories.
     *
     * @param domid the domain.
     * @return vifs released.
     */
    public synchronized int detach(final int domid)
    {
        return devices.detach(domid);
    }

    /**
     * @param domid  a domain.
     * @param handle a vif number.
     * @return whether that vif's rings are being served.
     */
    public synchronized boolean isConnected(final int domid, final int handle)
    {
        final VifDevice device = devices.get(domid, handle);
        return device != null && device.ring != null && !device.ring.isHostile();
    }

    /**
     * @param domid  a domain.
     * @param handle a vif number.
     * @return the vif's counters while the backend serves it.
     */
    public synchronized Optional<VifCounters> counters(final int domid, final int handle)
    {
        return Optional.ofNullable(devices.get(domid, handle)).map(device -> device.counters);
    }

    /**
     * @param domid  a domain.
     * @param handle a vif number.
     * @return the last problem the vif's frontend caused (what was logged), empty if none.
     */
    public synchronized Optional<String> lastProblem(final int domid, final int handle)
    {
        return Optional.ofNullable(devices.get(domid, handle)).map(device -> device.lastProblem);
    }

    /** @return the switch. */
    public NetSwitch netSwitch()
    {
        return netSwitch;
    }

    /** @return vifs served (connected, or waiting for their frontend). */
    public synchronized int attached()
    {
        return devices.size();
    }

    /** @return frontends whose keys were not numbers, did not map or did not bind. */
    public long refusedConnections()
    {
        return refused.get();
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

    /** Stop the control agent, then release every vif and stop watching. */
    @Override
    public void close()
    {
        control.close();
    }

    /** The control agent's work for a vif of a live domain: disconnect a frontend that overran a ring. */
    private int checkHostile(final VifDevice device)
    {
        if (device.ring == null || !device.ring.isHostile())
        {
            return 0;
        }
        device.counters.add(VifCounters.Value.HOSTILE_DISCONNECTS, 1);
        warn(device, "frontend disconnected: " + device.ring.faultDescription());
        device.xenbus.fail();
        return 1;
    }

    /** @return 1 when a backend was started for the vif. */
    private int serveNew(final int domid, final int handle)
    {
        final Domain domain = hypervisor.domain(domid).orElse(null);
        if (domain == null || domain.isDying())
        {
            return 0;
        }
        final String path = DEVICES_PATH + "/" + domid + "/" + handle;
        final Optional<String> macText = xenstore.read(path + "/" + NetifDevice.MAC);
        if (macText.isEmpty())
        {
            return 0; // not a complete device directory yet
        }
        final MacAddress mac;
        try
        {
            mac = MacAddress.parse(macText.get());
        }
        catch (final IllegalArgumentException ex)
        {
            return 0;
        }
        final VifDevice device = new VifDevice(domid, handle, mac, domain, limiter(path), clock);
        try
        {
            device.xenbus = XenbusBackend.start(xenstore, path, new VifDriver(hypervisor, device, netSwitch, this::connectRefused,
                control::wake, invalidStates::incrementAndGet));
        }
        catch (final XenstoreAccessException ex)
        {
            return 0;
        }
        devices.add(domid, handle, domain, device);
        listener.added(domid, handle, device.counters);
        return 1;
    }

    /** The rate limiter from the toolstack's {@code rate} ({@code bytes,microseconds}) and {@code rate-packets}. */
    private RateLimiter limiter(final String path)
    {
        final String[] rate = xenstore.read(path + "/" + NetifDevice.RATE).orElse("").split(",", -1);
        final long bytes = rate.length == 2 ? XenstoreNumbers.decimal(rate[0], Long.MAX_VALUE / 4) : -1;
        final long intervalUs = rate.length == 2 ? XenstoreNumbers.decimal(rate[1], 10_000_000L) : -1;
        final long packets = XenstoreNumbers.decimal(xenstore.read(path + "/" + NetifDevice.RATE_PACKETS), 1L << 40);
        return new RateLimiter(bytes > 0 && intervalUs > 0 ? bytes : 0, intervalUs > 0 ? intervalUs * 1_000L : 1,
            Math.max(0, packets), clock.nanoTime());
    }

    private void connectRefused(final VifDevice device, final String why)
    {
        refused.incrementAndGet();
        warn(device, "frontend refused: " + why);
    }

    /** The vif left the registry: release it. */
    private void remove(final VifDevice device)
    {
        device.xenbus.close();
        listener.removed(device.domid, device.handle);
    }

    /** Guest-triggered warnings: kept as the device's last problem, logged at most once per {@link #LOG_INTERVAL_NS}. */
    private void warn(final VifDevice device, final String problem)
    {
        device.lastProblem = problem;
        final long nowNs = System.nanoTime();
        if (warnings++ == 0 || nowNs - lastWarningNs >= LOG_INTERVAL_NS)
        {
            lastWarningNs = nowNs;
            LOG.log(System.Logger.Level.WARNING, "{0}: {1}", device, problem);
        }
    }
}
