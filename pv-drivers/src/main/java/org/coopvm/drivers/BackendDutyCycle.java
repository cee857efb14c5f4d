package org.coopvm.drivers;

import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.status.AtomicCounter;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.xenstore.XenstoredAccess;
import org.coopvm.rings.xenbus.XenstoreNumbers;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToIntFunction;

/**
 * The control agent of a dom0 backend (console, block, net), the part they all run the same way.
 * It watches the backend's {@code /local/domain/0/backend/<type>} directory on its own dom0
 * xenstore session; each duty cycle delivers the watch events (and so every xenbus callback),
 * rescans the directory when a device directory came or went (the backend's {@code serveNew}
 * starts each new device; the devices whose directory went are released), then
 * {@link BackendDevices#sweep sweeps} the devices: the dying domains' are released, every other
 * gets the backend's {@code serveLive} (a check for a hostile ring, a console's copying). Idle, the
 * agent parks until a watch event, a domain becoming DYING or {@link #wake} wakes it.
 *
 * <p>Threading: {@link #doWork} on the agent's thread ({@code role.name()}, started by
 * {@link #start}), holding the backend's monitor ({@code lock}), as {@link #start} and
 * {@link #close} do for their bookkeeping; {@link #wake} and {@link #agentErrors} from any thread
 * without locking (so from under the hypervisor's or xenstored's lock).
 *
 * @param <D> the backend's device.
 */
public final class BackendDutyCycle<D> implements Agent
{
    /** Most digits-only domid a device directory may be named (Xen's DOMID_FIRST_RESERVED). */
    public static final long MAX_DOMID = 0x7FF0;

    private final Role role;
    private final Object lock;
    private final BackendDevices<D> devices;
    private final DeviceStarter starter;
    private final ToIntFunction<D> serveLive;
    private final IdleStrategy idle;
    private final XenstoredAccess xenstore;
    private final AtomicLong agentErrors = new AtomicLong();
    private volatile Thread agentThread;
    private AgentRunner runner;
    private boolean rescanNeeded = true;

    /**
     * @param role       the backend's agent: its name and the directory it serves.
     * @param hypervisor whose xenstored and domains the backend serves.
     * @param idle       how the agent waits when a duty cycle found nothing.
     * @param lock       the backend's monitor, which guards {@code devices}.
     * @param devices    the backend's devices.
     * @param starter    starts serving a device the toolstack made.
     * @param serveLive  one duty cycle's work for a device whose domain is alive; returns work done.
     */
    public BackendDutyCycle(final Role role, final Hypervisor hypervisor, final IdleStrategy idle, final Object lock,
        final BackendDevices<D> devices, final DeviceStarter starter, final ToIntFunction<D> serveLive)
    {
        this.role = role;
        this.idle = idle;
        this.lock = lock;
        this.devices = devices;
        this.starter = starter;
        this.serveLive = serveLive;
        this.xenstore = XenstoredAccess.dom0(hypervisor.xenstored(), this::wake);
        BackendAgents.wakeWhenDying(hypervisor, this::wake);
    }

    /** @return the backend's dom0 xenstore session: watch events on it wake the agent, which delivers them. */
    public XenstoredAccess xenstore()
    {
        return xenstore;
    }

    /** Watch the devices directory and run the agent on its own thread ({@code role.name()}). Call once. */
    public void start()
    {
        synchronized (lock)
        {
            if (runner == null)
            {
                xenstore.watch(role.devicesPath(), role.name(), (path, token) -> devicesChanged(path));
                runner = new AgentRunner(idle, throwable -> agentErrors.incrementAndGet(), (AtomicCounter)null, this);
                AgentRunner.startOnThread(runner, Thread.ofPlatform().name(role.name()).daemon(true).factory());
            }
        }
    }

    /** Wake the agent (it must have work): never blocks. */
    public void wake()
    {
        final Thread thread = agentThread;
        if (thread != null)
        {
            LockSupport.unpark(thread);
        }
    }

    /** @return exceptions the agent caught (should stay 0). */
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
    public int doWork()
    {
        synchronized (lock)
        {
            int work = xenstore.pollEvents();
            if (rescanNeeded)
            {
                rescanNeeded = false;
                work += rescan();
            }
            return work + devices.sweep(serveLive);
        }
    }

    @Override
    public String roleName()
    {
        return role.name();
    }

    /**
     * Stop the agent (a {@link RingIdleStrategy} stops parking first, so this never waits for a
     * park), then release every device and close the xenstore session.
     */
    public void close()
    {
        final AgentRunner toClose;
        synchronized (lock)
        {
            toClose = runner;
        }
        if (toClose != null)
        {
            if (idle instanceof RingIdleStrategy ring)
            {
                ring.stopParking(agentThread);
            }
            toClose.close();
        }
        synchronized (lock)
        {
            devices.releaseAll();
            xenstore.close();
        }
    }

    /** The devices watch fired: look again when a device directory came or went (not for its keys). */
    private void devicesChanged(final String path)
    {
        if (BackendAgents.isDeviceDirectoryChange(role.devicesPath(), path))
        {
            rescanNeeded = true;
        }
    }

    /** @return devices added or released. */
    private int rescan()
    {
        int work = 0;
        final String devicesPath = role.devicesPath();
        final LongHashSet listed = new LongHashSet();
        for (final String frontend : xenstore.directory(devicesPath))
        {
            final long domid = XenstoreNumbers.decimal(frontend, MAX_DOMID);
            for (final String id : domid > 0 ? xenstore.directory(devicesPath + "/" + frontend) : List.<String>of())
            {
                final long devid = XenstoreNumbers.decimal(id, role.maxDevid());
                if (devid >= 0)
                {
                    final long key = BackendDevices.key((int)domid, (int)devid);
                    listed.add(key);
                    work += devices.isKnown(key) ? 0 : starter.serveNew((int)domid, (int)devid);
                }
            }
        }
        return work + devices.releaseUnlisted(listed); // the toolstack removed those
    }

    /**
     * A backend's control agent.
     *
     * @param name        the agent's role and thread name, also the devices watch's token.
     * @param devicesPath the directory the toolstack makes devices in, {@code /local/domain/0/backend/<type>}.
     * @param maxDevid    the largest device id served.
     */
    public record Role(String name, String devicesPath, long maxDevid)
    {
    }

    /** How a backend starts serving a device the toolstack made (on the agent's thread, under the backend's monitor). */
    @FunctionalInterface
    public interface DeviceStarter
    {
        /**
         * @param domid the frontend's domain.
         * @param devid the device id.
         * @return 1 when the device is served ({@link BackendDevices#add added}), 0 when skipped.
         */
        int serveNew(int domid, int devid);
    }
}
