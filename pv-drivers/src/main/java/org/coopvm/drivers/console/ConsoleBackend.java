package org.coopvm.drivers.console;

import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.status.AtomicCounter;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.rings.console.ConsoleRingDescriptor;
import org.coopvm.rings.domain.StartInfo;
import org.coopvm.rings.hypercall.Errno;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * dom0's console backend ({@code xenconsoled}'s role), one agent for every guest. The toolstack
 * {@link #attach}es each domain; once its guest has published its console ring (grant ref and
 * port in the start info) the backend maps the page with {@link Hypervisor#dom0Map}, binds the
 * port with {@link Hypervisor#dom0BindInterdomain}, marks the console connected, and from then on
 * drains {@code out} into the {@link ConsoleOutput} (the domain's log) and writes queued
 * {@link #input} into {@code in}, notifying the guest after each. {@link #detach} (or the domain
 * dying) drains what is left, closes the port and unmaps the page, so the domain can be reclaimed.
 *
 * <p>Guest-written indices are bounded by the ring codec (corrupt ones are counted and the ring
 * reset); a published ref or port that does not map or bind is counted and not retried. Each
 * duty cycle moves at most {@link #MAX_OUTPUT_PER_CYCLE} bytes per guest, so one chatty guest
 * cannot starve the others.
 *
 * <p>Threading: {@link #doWork} runs on the agent thread ({@link #start}) or a test's thread;
 * {@link #attach}, {@link #detach} and {@link #input} from any thread (all share this object's
 * monitor, never taken under the hypervisor lock). {@link #onEvent} is the dom0 event sink: it
 * only wakes the agent. Idle, the agent parks up to {@link #IDLE_PARK_MS} ms (it looks for newly
 * published consoles then), and an event unparks it at once.
 */
public final class ConsoleBackend implements Agent, AutoCloseable
{
    /** Most bytes of one guest's output logged per duty cycle. */
    public static final int MAX_OUTPUT_PER_CYCLE = 64 * 1024;
    /** Most bytes of typed input queued per guest beyond what its ring holds. */
    public static final int INPUT_LIMIT_BYTES = 64 * 1024;
    /** Longest idle park of the agent, in milliseconds. */
    public static final long IDLE_PARK_MS = 50;

    private final Hypervisor hypervisor;
    private final ConsoleOutput output;
    private final Int2ObjectHashMap<ConsoleConnection> consoles = new Int2ObjectHashMap<>();
    private final byte[] chunk = new byte[ConsoleRingDescriptor.OUT_LENGTH];
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong corruptions = new AtomicLong();
    private final AtomicLong bytesLogged = new AtomicLong();
    private final AtomicLong agentErrors = new AtomicLong();
    private volatile Thread agentThread;
    private AgentRunner runner;

    /**
     * @param hypervisor the hypervisor whose dom0 operations the backend uses.
     * @param output     where guests' output goes.
     */
    public ConsoleBackend(final Hypervisor hypervisor, final ConsoleOutput output)
    {
        this.hypervisor = hypervisor;
        this.output = output;
    }

    /**
     * Run the agent on its own thread ({@code console-backend}). Call once.
     *
     * @return this.
     */
    public synchronized ConsoleBackend start()
    {
        if (runner == null)
        {
            runner = new AgentRunner(new BackoffIdleStrategy(10, 10, TimeUnit.MICROSECONDS.toNanos(1),
                TimeUnit.MILLISECONDS.toNanos(IDLE_PARK_MS)), throwable -> agentErrors.incrementAndGet(), (AtomicCounter)null, this);
            agentThread = AgentRunner.startOnThread(runner, Thread.ofPlatform().name("console-backend").daemon(true).factory());
        }
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
        final Thread thread = agentThread;
        if (thread != null)
        {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Serve a domain's console once its guest publishes it.
     *
     * @param domid the domain.
     */
    public synchronized void attach(final int domid)
    {
        if (consoles.get(domid) == null)
        {
            consoles.put(domid, new ConsoleConnection(domid));
        }
        onEvent(0);
    }

    /**
     * Stop serving a domain: log what is left in its ring, close dom0's port, unmap the page.
     *
     * @param domid the domain.
     * @return whether it was attached.
     */
    public synchronized boolean detach(final int domid)
    {
        final ConsoleConnection console = consoles.remove(domid);
        if (console == null)
        {
            return false;
        }
        release(console);
        return true;
    }

    /**
     * Type on a domain's console: queued, then written into its ring's {@code in} by the agent.
     *
     * @param domid the domain.
     * @param bytes what was typed.
     * @return 0, {@code -ENOENT} when the domain is not attached, {@code -EAGAIN} when its queue is full.
     */
    public synchronized int input(final int domid, final byte[] bytes)
    {
        final ConsoleConnection console = consoles.get(domid);
        if (console == null)
        {
            return -Errno.ENOENT;
        }
        if (!console.queueInput(bytes, INPUT_LIMIT_BYTES))
        {
            return -Errno.EAGAIN;
        }
        onEvent(0);
        return 0;
    }

    /**
     * @param domid a domain.
     * @return whether its console ring is mapped and its port bound.
     */
    public synchronized boolean isConnected(final int domid)
    {
        final ConsoleConnection console = consoles.get(domid);
        return console != null && console.isConnected();
    }

    /** @return domains attached (connected or waiting for their guest). */
    public synchronized int attached()
    {
        return consoles.size();
    }

    /** @return published consoles whose ref did not map or whose port did not bind. */
    public long refusedConnections()
    {
        return refused.get();
    }

    /** @return exceptions the agent thread caught (should stay 0). */
    public long agentErrors()
    {
        return agentErrors.get();
    }

    /** @return corrupt ring indices seen (all guests, including released ones). */
    public synchronized long corruptions()
    {
        long sum = corruptions.get();
        for (final ConsoleConnection console : consoles.values())
        {
            sum += console.out.corruptions() + console.in.corruptions();
        }
        return sum;
    }

    /** @return bytes of guest output handed to the {@link ConsoleOutput}. */
    public long bytesLogged()
    {
        return bytesLogged.get();
    }

    @Override
    public synchronized int doWork()
    {
        int work = 0;
        List<ConsoleConnection> gone = null;
        for (final ConsoleConnection console : consoles.values())
        {
            if (!console.isConnected())
            {
                final int result = tryConnect(console);
                if (result < 0)
                {
                    gone = add(gone, console);
                }
                work += Math.max(result, 0);
            }
            else if (console.domain.isDying())
            {
                gone = add(gone, console);
            }
            else
            {
                work += serve(console);
            }
        }
        if (gone != null)
        {
            for (final ConsoleConnection console : gone)
            {
                consoles.remove(console.domid);
                release(console);
                work++;
            }
        }
        return work;
    }

    @Override
    public String roleName()
    {
        return "console-backend";
    }

    /** Stop the agent, then release every console. */
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
            toClose.close();
        }
        synchronized (this)
        {
            for (final ConsoleConnection console : consoles.values())
            {
                release(console);
            }
            consoles.clear();
        }
    }

    /** @return 1 when connected (or refused), 0 when not published yet, -1 when the domain is gone. */
    private int tryConnect(final ConsoleConnection console)
    {
        final Published published = hypervisor.locked(() ->
        {
            final Domain domain = hypervisor.domain(console.domid).orElse(null);
            if (domain == null || domain.isDying())
            {
                return Published.GONE;
            }
            if (console.startInfo == null)
            {
                console.domain = domain;
                console.startInfo = new StartInfo().wrap(domain.regions().startInfo().payloadBuffer());
            }
            // read under the lock: the start info region stays mapped while the domain is not reclaimed
            return console.startInfo.isConsolePublished() ?
                new Published(console.startInfo.consoleRingRef(), console.startInfo.consolePort()) : Published.NOT_YET;
        });
        if (published == Published.GONE)
        {
            return -1;
        }
        if (published == Published.NOT_YET || console.port < 0)
        {
            return 0;
        }
        final int ref = published.ref();
        final int guestPort = published.port();
        final Hypervisor.MapResult map = hypervisor.dom0Map(console.domid, ref, false);
        if (map.status() != 0)
        {
            return refuse(console);
        }
        final long port = hypervisor.dom0BindInterdomain(console.domid, guestPort);
        if (port < 0)
        {
            hypervisor.dom0Unmap(map.mapping().handle());
            return refuse(console);
        }
        console.connected(map.mapping(), (int)port);
        console.startInfo.markConsoleConnected();
        hypervisor.dom0Send(console.port);
        return 1;
    }

    private int refuse(final ConsoleConnection console)
    {
        refused.incrementAndGet();
        console.port = -1; // do not retry a console that does not map or bind
        return 1;
    }

    private int serve(final ConsoleConnection console)
    {
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

    /** What a guest published in its start info (untrusted). */
    private record Published(int ref, int port)
    {
        static final Published GONE = new Published(-1, -1);
        static final Published NOT_YET = new Published(-1, -1);
    }

    private static List<ConsoleConnection> add(final List<ConsoleConnection> list, final ConsoleConnection console)
    {
        final List<ConsoleConnection> result = list == null ? new ArrayList<>() : list;
        result.add(console);
        return result;
    }
}
