package org.coopvm.drivers.block;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.coopvm.drivers.RingIdleStrategy;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.rings.blkif.BlkifRequest;
import org.coopvm.rings.blkif.BlkifResponse;
import org.coopvm.rings.blkif.BlkifRing;
import org.coopvm.rings.xen.BackRing;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One connected disk's ring in dom0, served by its own agent thread ({@code blkback-<domid>-<vdev>},
 * blkback's per-ring kthread): take each request the frontend published, copy its slot into
 * private memory once, serve the copy ({@link RequestServer}), answer in the slot, and push the
 * responses with Xen's push-and-check-notify, notifying the guest's port only when it asked. When
 * the ring is empty it polls a little longer ({@link RingIdleStrategy}: spins, then yields) without
 * asking to be notified, so a frontend that keeps the ring busy needs no notification (each one is
 * a hypercall for the guest); then it makes Xen's final check (publishing {@code req_event}) and
 * parks; the frontend's notification reaches dom0's event sink for the port, which unparks it.
 * Idle, it burns no CPU (it parks for up to {@link #IDLE_PARK_MS} between looks, a safety net).
 *
 * <p>A {@code req_prod} that claims more requests than the ring holds makes the ring stop
 * (permanent {@link org.coopvm.rings.xen.RingFault#PRODUCER_INDEX_OVERRUN}); the agent then
 * reports it once to the backend, which disconnects the frontend.
 *
 * <p>Threading: {@link #doWork} on the agent thread; {@link #wake} from dom0's event sink (under
 * the hypervisor lock: it only unparks); {@link #start} and {@link #close} by the control agent.
 */
final class BlkbackRing implements Agent, AutoCloseable
{
    /** Longest park of an idle ring agent, in milliseconds. */
    static final long IDLE_PARK_MS = 10_000;
    private static final int BATCH = 64;
    /**
     * Requests served between two pushes of their responses. At 16, a guest keeping 16 requests in
     * flight saw none completed until all were, so it refilled the ring only after dom0's agent had
     * run dry and gone to sleep: lockstep, an agent sleep and a guest wake-up every 16 requests
     * ({@code coop bench block}'s dom0 line). At 4 the guest wakes while the agent still has work and
     * refills the ring behind it; at 1 (Linux blkback pushes each response) nearly every response
     * woke a sleeping guest, each wake-up a futex call on the agent's thread.
     */
    private static final int PUSH_EVERY = 4;

    private final Hypervisor hypervisor;
    private final String name;
    private final RingPages pages;
    private final BackRing ring;
    private final int port;
    private final GrantPages grants;
    private final RequestServer server;
    private final VbdCounters counters;
    private final Runnable onHostile;
    private final UnsafeBuffer copy = new UnsafeBuffer(new byte[BlkifRing.SLOT_LENGTH]);
    private final BlkifRequest request = new BlkifRequest().wrap(copy, 0);
    private final BlkifResponse response = new BlkifResponse();
    private final RingIdleStrategy idle = new RingIdleStrategy(TimeUnit.MILLISECONDS.toNanos(IDLE_PARK_MS), true);
    private volatile Thread thread;
    private volatile boolean hostile;
    private AgentRunner runner;

    BlkbackRing(final Hypervisor hypervisor, final String name, final RingPages pages, final int order, final int port,
        final GrantPages grants, final RequestServer server, final VbdCounters counters, final Runnable onHostile)
    {
        this.hypervisor = hypervisor;
        this.name = name;
        this.pages = pages;
        this.ring = BackRing.attach(pages.buffer(), 0, BlkifRing.ringBytes(order), BlkifRing.SLOT_LENGTH);
        this.port = port;
        this.grants = grants;
        this.server = server;
        this.counters = counters;
        this.onHostile = onHostile;
    }

    /** Start the agent thread and route the port's events to it. */
    void start()
    {
        runner = new AgentRunner(idle, throwable -> counters.add(VbdCounters.Value.AGENT_ERRORS, 1), (AtomicCounter)null, this);
        AgentRunner.startOnThread(runner, Thread.ofPlatform().name(name).daemon(true).factory());
        hypervisor.dom0EventSink(port, p -> wake());
        wake();
    }

    @Override
    public void onStart()
    {
        thread = Thread.currentThread();
    }

    @Override
    public int doWork()
    {
        if (hostile)
        {
            return 0;
        }
        int served = 0;
        while (served < BATCH && ring.copyRequest(copy, 0))
        {
            response.wrap(ring.buffer(), ring.claimResponse()).put(request.id(), request.responseOperation(), server.serve(request));
            if (++served % PUSH_EVERY == 0)
            {
                push();
            }
        }
        if (ring.fault().permanent())
        {
            hostile = true;
            onHostile.run();
            return served + 1;
        }
        if (served > 0)
        {
            push();
            counters.add(VbdCounters.Value.BATCHES, 1);
            return served;
        }
        if (!idle.parksNext())
        {
            return 0;
        }
        if (ring.finalCheckForRequests())
        {
            return 1;
        }
        counters.add(VbdCounters.Value.AGENT_PARKS, 1);
        return 0;
    }

    @Override
    public String roleName()
    {
        return name;
    }

    /** Wake the agent (the frontend notified). */
    void wake()
    {
        final Thread agent = thread;
        if (agent != null)
        {
            LockSupport.unpark(agent);
        }
    }

    /** @return whether the frontend overran the ring. */
    boolean isHostile()
    {
        return hostile;
    }

    /** @return the ring's fault, for the log. */
    String faultDescription()
    {
        return ring.faultDescription();
    }

    /** @return the grant mappings kept (persistent). */
    int persistentMappings()
    {
        return grants.persistentMappings();
    }

    /** Stop the agent (waits for its current work), then release the port, the grants and the ring. */
    @Override
    public void close()
    {
        hypervisor.removeDom0EventSink(port);
        if (runner != null)
        {
            idle.stopParking(thread);
            runner.close();
        }
        hypervisor.dom0Close(port);
        grants.close();
        pages.close();
    }

    private void push()
    {
        if (ring.pushResponsesAndCheckNotify())
        {
            hypervisor.dom0Send(port);
            counters.add(VbdCounters.Value.NOTIFICATIONS, 1);
        }
    }
}
