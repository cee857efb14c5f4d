package org.coopvm.drivers.net;

import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.status.AtomicCounter;
import org.coopvm.drivers.BackendAgents;
import org.coopvm.drivers.RingIdleStrategy;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.xenstore.XenstoredAccess;
import org.coopvm.rings.netif.MacAddress;
import org.coopvm.rings.netif.NetifDevice;
import org.coopvm.rings.xenbus.XenbusBackend;
import org.coopvm.rings.xenbus.XenbusDevice;
import org.coopvm.rings.xenbus.XenstoreAccessException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

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
 * <p>Threading: {@link #doWork} on the control agent's thread; {@link #detach} and the queries
 * from any thread (this object's monitor). Idle, the control agent parks until a watch event or a
 * dying domain wakes it (at most {@link #IDLE_PARK_MS} ms).
 */
public final class NetBackend implements Agent, AutoCloseable
{
    /** Longest idle park of the control agent, in milliseconds. */
    public static final long IDLE_PARK_MS = 10_000;
    /** What the backend watches for devices the toolstack makes. */
    public static final String DEVICES_PATH = XenbusDevice.backendTypePath(0, NetifDevice.TYPE);

    private static final System.Logger LOG = System.getLogger(NetBackend.class.getName());
    private static final String DEVICES_TOKEN = "net-backend";
    private static final long LOG_INTERVAL_NS = TimeUnit.SECONDS.toNanos(10);

    private final Hypervisor hypervisor;
    private final NanoClock clock;
    private final VifListener listener;
    private final XenstoredAccess xenstore;
    private final NetSwitch netSwitch = new NetSwitch();
    private final Long2ObjectHashMap<VifDevice> devices = new Long2ObjectHashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong invalidStates = new AtomicLong();
    private final AtomicLong agentErrors = new AtomicLong();
    private final RingIdleStrategy idle = new RingIdleStrategy(TimeUnit.MILLISECONDS.toNanos(IDLE_PARK_MS), false);
    private volatile Thread agentThread;
    private AgentRunner runner;
    private boolean rescanNeeded = true;
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
        this.xenstore = XenstoredAccess.dom0(hypervisor.xenstored(), this::wake);
        BackendAgents.wakeWhenDying(hypervisor, this::wake);
    }

    /**
     * Watch for vifs and run the control agent on its own thread ({@code net-backend}). Call once.
     *
     * @return this.
     */
    public synchronized NetBackend start()
    {
        if (runner == null)
        {
            xenstore.watch(DEVICES_PATH, DEVICES_TOKEN, (path, token) -> devicesChanged(path));
            runner = new AgentRunner(idle, throwable -> agentErrors.incrementAndGet(), (AtomicCounter)null, this);
            AgentRunner.startOnThread(runner, Thread.ofPlatform().name("net-backend").daemon(true).factory());
        }
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
        final List<VifDevice> gone = new ArrayList<>();
        for (final VifDevice device : devices.values())
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
     * @param domid  a domain.
     * @param handle a vif number.
     * @return whether that vif's rings are being served.
     */
    public synchronized boolean isConnected(final int domid, final int handle)
    {
        final VifDevice device = devices.get(VifDevice.key(domid, handle));
        return device != null && device.ring != null && !device.ring.isHostile();
    }

    /**
     * @param domid  a domain.
     * @param handle a vif number.
     * @return the vif's counters while the backend serves it.
     */
    public synchronized Optional<VifCounters> counters(final int domid, final int handle)
    {
        return Optional.ofNullable(devices.get(VifDevice.key(domid, handle))).map(device -> device.counters);
    }

    /**
     * @param domid  a domain.
     * @param handle a vif number.
     * @return the last problem the vif's frontend caused (what was logged), empty if none.
     */
    public synchronized Optional<String> lastProblem(final int domid, final int handle)
    {
        return Optional.ofNullable(devices.get(VifDevice.key(domid, handle))).map(device -> device.lastProblem);
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
        List<VifDevice> dying = null;
        for (final VifDevice device : devices.values())
        {
            if (device.domain.isDying())
            {
                dying = BackendAgents.add(dying, device);
            }
            else if (device.ring != null && device.ring.isHostile())
            {
                device.counters.add(VifCounters.Value.HOSTILE_DISCONNECTS, 1);
                warn(device, "frontend disconnected: " + device.ring.faultDescription());
                device.xenbus.fail();
                work++;
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
        return "net-backend";
    }

    /** Stop the control agent, then release every vif and stop watching. */
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

    private void devicesChanged(final String path)
    {
        if (BackendAgents.isDeviceDirectoryChange(DEVICES_PATH, path))
        {
            rescanNeeded = true;
        }
    }

    /** @return vifs added or removed. */
    private int rescan()
    {
        int work = 0;
        final LongHashSet listed = new LongHashSet();
        for (final String frontend : xenstore.directory(DEVICES_PATH))
        {
            final long domid = VifDriver.decimal(Optional.of(frontend), 0x7FF0);
            for (final String id : domid > 0 ? xenstore.directory(DEVICES_PATH + "/" + frontend) : List.<String>of())
            {
                final long handle = VifDriver.decimal(Optional.of(id), 255);
                if (handle >= 0)
                {
                    final long key = VifDevice.key((int)domid, (int)handle);
                    listed.add(key);
                    work += devices.containsKey(key) ? 0 : serveNew((int)domid, (int)handle);
                }
            }
        }
        for (final VifDevice device : List.copyOf(devices.values()))
        {
            if (!listed.contains(device.key()))
            {
                remove(device);
                work++;
            }
        }
        return work;
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
                this::wake, invalidStates::incrementAndGet));
        }
        catch (final XenstoreAccessException ex)
        {
            return 0;
        }
        devices.put(device.key(), device);
        listener.added(domid, handle, device.counters);
        return 1;
    }

    /** The rate limiter from the toolstack's {@code rate} ({@code bytes,microseconds}) and {@code rate-packets}. */
    private RateLimiter limiter(final String path)
    {
        final String[] rate = xenstore.read(path + "/" + NetifDevice.RATE).orElse("").split(",", -1);
        final long bytes = rate.length == 2 ? VifDriver.decimal(Optional.of(rate[0]), Long.MAX_VALUE / 4) : -1;
        final long intervalUs = rate.length == 2 ? VifDriver.decimal(Optional.of(rate[1]), 10_000_000L) : -1;
        final long packets = VifDriver.decimal(xenstore.read(path + "/" + NetifDevice.RATE_PACKETS), 1L << 40);
        return new RateLimiter(bytes > 0 && intervalUs > 0 ? bytes : 0, intervalUs > 0 ? intervalUs * 1_000L : 1,
            Math.max(0, packets), clock.nanoTime());
    }

    private void connectRefused(final VifDevice device, final String why)
    {
        refused.incrementAndGet();
        warn(device, "frontend refused: " + why);
    }

    private void remove(final VifDevice device)
    {
        devices.remove(device.key());
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
