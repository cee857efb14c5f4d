package org.coopvm.drivers.console;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.coopvm.drivers.BackendDevices;
import org.coopvm.drivers.BackendDutyCycle;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.xenstore.XenstoredAccess;
import org.coopvm.rings.console.ConsoleDevice;
import org.coopvm.rings.console.ConsoleRingDescriptor;
import org.coopvm.rings.hypercall.Errno;
import org.coopvm.rings.xenbus.XenbusBackend;
import org.coopvm.rings.xenbus.XenbusDevice;
import org.coopvm.rings.xenbus.XenbusEnd;
import org.coopvm.rings.xenbus.XenstoreAccessException;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * dom0's console backend ({@code xenconsoled}'s role), one agent for every guest, driven by
 * xenstore. It watches {@code /local/domain/0/backend/console}: for each device the toolstack
 * made there ({@link ConsoleDevice}, {@code <domid>/0}) it starts a {@link XenbusBackend}
 * (InitWait); when the guest's frontend is Initialised it reads {@code ring-ref} and
 * {@code port} from the frontend directory, maps the page with {@link Hypervisor#dom0Map}, binds
 * the port with {@link Hypervisor#dom0BindInterdomain} and goes Connected. From then on it
 * drains {@code out} into the {@link ConsoleOutput} (the domain's log) and writes queued
 * {@link #input} into {@code in}, notifying the guest after each. When the frontend closes or
 * vanishes, when the domain dies, on {@link #detach} or when the toolstack removes the device,
 * it drains what is left, closes the port and unmaps the page (so the domain can be reclaimed),
 * and goes Closing then Closed.
 *
 * <p>Guest-written indices are bounded by the ring codec (corrupt ones are counted and the ring
 * reset); a {@code ring-ref} or {@code port} that is not a number, does not map or does not
 * bind is counted ({@link #refusedConnections()}) and the device goes Closing, without retries;
 * a garbage frontend {@code state} is counted ({@link #invalidStates()}) and ignored. Each duty
 * cycle moves at most {@link #MAX_OUTPUT_PER_CYCLE} bytes per guest, so one chatty guest cannot
 * starve the others.
 *
 * <p>The agent's duty cycle and the attach/remove bookkeeping are the ones every backend shares
 * ({@link BackendDutyCycle}, {@link BackendDevices}); this class is what is particular to consoles.
 *
 * <p>Threading: the agent's duty cycle runs on the agent thread ({@link #start}); xenstore watch
 * events (and so every xenbus callback) are delivered inside it. {@link #detach}, {@link #input}
 * and the queries from any thread (all share this object's monitor, never taken under the
 * hypervisor lock or xenstored's). {@link #onEvent} is the dom0 event sink: it only wakes the
 * agent, as do xenstore watch events and a domain becoming DYING. Idle, the agent parks until
 * woken (at most {@link #IDLE_PARK_MS} ms, a safety net: nothing relies on it).
 */
public final class ConsoleBackend implements AutoCloseable
{
    /** Most bytes of one guest's output logged per duty cycle. */
    public static final int MAX_OUTPUT_PER_CYCLE = 64 * 1024;
    /** Most bytes of typed input queued per guest beyond what its ring holds. */
    public static final int INPUT_LIMIT_BYTES = 64 * 1024;
    /** Longest idle park of the agent, in milliseconds: everything that has work for it wakes it sooner. */
    public static final long IDLE_PARK_MS = 10_000;
    /** What the backend watches for devices the toolstack makes. */
    public static final String DEVICES_PATH = XenbusDevice.backendTypePath(0, ConsoleDevice.TYPE);

    private static final BackendDutyCycle.Role ROLE = new BackendDutyCycle.Role("console-backend", DEVICES_PATH, ConsoleDevice.ID);

    private final Hypervisor hypervisor;
    private final ConsoleOutput output;
    private final BackendDevices<ConsoleConnection> consoles = new BackendDevices<>(console -> console.xenbus.close());
    private final BackendDutyCycle<ConsoleConnection> control;
    private final XenstoredAccess xenstore;
    private final byte[] chunk = new byte[ConsoleRingDescriptor.OUT_LENGTH];
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong invalidStates = new AtomicLong();
    private final AtomicLong corruptions = new AtomicLong();
    private final AtomicLong bytesLogged = new AtomicLong();

    /**
     * @param hypervisor the hypervisor whose dom0 operations and xenstored the backend uses.
     * @param output     where guests' output goes.
     */
    public ConsoleBackend(final Hypervisor hypervisor, final ConsoleOutput output)
    {
        this.hypervisor = hypervisor;
        this.output = output;
        this.control = new BackendDutyCycle<>(ROLE, hypervisor, new BackoffIdleStrategy(10, 10, TimeUnit.MICROSECONDS.toNanos(1),
            TimeUnit.MILLISECONDS.toNanos(IDLE_PARK_MS)), this, consoles, (domid, devid) -> serveNew(domid), this::serve);
        this.xenstore = control.xenstore();
    }

    /**
     * Watch for console devices and run the agent on its own thread ({@code console-backend}).
     * Call once.
     *
     * @return this.
     */
    public ConsoleBackend start()
    {
        control.start();
        return this;
    }

    /**
     * The dom0 event sink: an event on one of dom0's ports wakes the agent. Called under the
     * hypervisor lock: does nothing else.
     *
     * @param port the dom0 port.
     */
    public void onEvent(final int port)
    {
        control.wake();
    }

    /**
     * Stop serving a domain now, without waiting for its guest: log what is left in its ring,
     * close dom0's port, unmap the page, and mark the device Closing then Closed. The toolstack
     * calls it when it destroys the domain, before it removes the device's directories.
     *
     * @param domid the domain.
     * @return whether the backend was serving it (false when the agent saw it die first).
     */
    public synchronized boolean detach(final int domid)
    {
        return consoles.detach(domid) > 0;
    }

    /**
     * Type on a domain's console: queued, then written into its ring's {@code in} by the agent
     * once connected.
     *
     * @param domid the domain.
     * @param bytes what was typed.
     * @return 0, {@code -ENOENT} when the backend serves no console of that domain, {@code -EAGAIN} when its queue is full.
     */
    public synchronized int input(final int domid, final byte[] bytes)
    {
        final ConsoleConnection console = consoles.get(domid, ConsoleDevice.ID);
        if (console == null)
        {
            return -Errno.ENOENT;
        }
        if (!console.queueInput(bytes, INPUT_LIMIT_BYTES))
        {
            return -Errno.EAGAIN;
        }
        control.wake();
        return 0;
    }

    /**
     * @param domid a domain.
     * @return whether its console ring is mapped and its port bound.
     */
    public synchronized boolean isConnected(final int domid)
    {
        final ConsoleConnection console = consoles.get(domid, ConsoleDevice.ID);
        return console != null && console.isConnected();
    }

    /** @return consoles served (connected, or waiting for their guest's frontend). */
    public synchronized int attached()
    {
        return consoles.size();
    }

    /** @return frontends whose ring-ref or port was not a number, did not map or did not bind. */
    public long refusedConnections()
    {
        return refused.get();
    }

    /** @return frontend state values that were not a xenbus state. */
    public long invalidStates()
    {
        return invalidStates.get();
    }

    /** @return exceptions the agent thread caught (should stay 0). */
    public long agentErrors()
    {
        return control.agentErrors();
    }

    /** @return corrupt ring indices seen (all guests, including released ones). */
    public synchronized long corruptions()
    {
        return corruptions.get() + consoles.sum(console -> console.isConnected() ? console.out.corruptions() + console.in.corruptions() : 0);
    }

    /** @return bytes of guest output handed to the {@link ConsoleOutput}. */
    public long bytesLogged()
    {
        return bytesLogged.get();
    }

    /** Stop the agent, then release every console and stop watching. */
    @Override
    public void close()
    {
        control.close();
    }

    /** @return 1 when a backend was started for the domain's console. */
    private int serveNew(final int domid)
    {
        final Domain domain = hypervisor.domain(domid).orElse(null);
        if (domain == null || domain.isDying())
        {
            return 0; // a leftover directory of a domain going or gone
        }
        final ConsoleConnection console = new ConsoleConnection(domid, domain);
        try
        {
            console.xenbus = XenbusBackend.start(xenstore, ConsoleDevice.of(domid).backendPath(), new RingDriver(console));
        }
        catch (final XenstoreAccessException ex)
        {
            return 0; // not a complete device directory (the toolstack makes them in one transaction): skipped
        }
        consoles.add(domid, ConsoleDevice.ID, domain, console);
        return 1;
    }

    /** Called by the console's xenbus backend when the frontend is Initialised. @return whether connected. */
    private boolean connect(final ConsoleConnection console, final int ref, final int guestPort)
    {
        final Hypervisor.MapResult map = hypervisor.dom0Map(console.domid, ref, false);
        if (map.status() != 0)
        {
            return false;
        }
        final long port = hypervisor.dom0BindInterdomain(console.domid, guestPort);
        if (port < 0)
        {
            hypervisor.dom0Unmap(map.mapping().handle());
            return false;
        }
        console.connected(map.mapping(), (int)port);
        hypervisor.dom0Send(console.port);
        return true;
    }

    /** The agent's work for the console of a live domain, once connected: copy out and in, notify the guest. */
    private int serve(final ConsoleConnection console)
    {
        if (!console.isConnected())
        {
            return 0;
        }
        int work = 0;
        final int drained = drain(console);
        if (drained != 0)
        {
            work++;
        }
        final int pushed = console.pushInput();
        if (pushed != 0)
        {
            work++;
        }
        if (work > 0)
        {
            hypervisor.dom0Send(console.port);
        }
        return work;
    }

    /** @return bytes logged, or a negative value when the guest's index was corrupt. */
    private int drain(final ConsoleConnection console)
    {
        int total = 0;
        while (total < MAX_OUTPUT_PER_CYCLE)
        {
            final int read = console.out.read(chunk, 0, chunk.length);
            if (read <= 0)
            {
                return read < 0 ? read : total;
            }
            output.write(console.domid, chunk, 0, read);
            bytesLogged.addAndGet(read);
            total += read;
        }
        return total;
    }

    /** Called by the console's xenbus backend (once per connect): drain, close the port, unmap. */
    private void release(final ConsoleConnection console)
    {
        if (!console.isConnected())
        {
            return;
        }
        drain(console);
        corruptions.addAndGet(console.out.corruptions() + console.in.corruptions());
        hypervisor.dom0Close(console.port);
        hypervisor.dom0Unmap(console.mapping.handle());
        console.mapping = null;
    }

    /** The console's part of the xenbus backend: the frontend's keys to a mapped, bound ring. */
    private final class RingDriver implements XenbusBackend.Driver
    {
        private final ConsoleConnection console;

        private RingDriver(final ConsoleConnection console)
        {
            this.console = console;
        }

        @Override
        public boolean connect(final XenbusEnd end)
        {
            final int ref = ConsoleConnection.parseKey(end.readOther(ConsoleDevice.RING_REF), Integer.MAX_VALUE);
            final int port = ConsoleConnection.parseKey(end.readOther(ConsoleDevice.PORT), ConsoleConnection.MAX_PORT);
            if (ref < 0 || port <= 0 || !ConsoleBackend.this.connect(console, ref, port))
            {
                refused.incrementAndGet();
                return false;
            }
            return true;
        }

        @Override
        public void disconnect(final XenbusEnd end)
        {
            release(console);
        }

        @Override
        public void invalidState(final XenbusEnd end, final String detail)
        {
            invalidStates.incrementAndGet();
        }
    }
}
