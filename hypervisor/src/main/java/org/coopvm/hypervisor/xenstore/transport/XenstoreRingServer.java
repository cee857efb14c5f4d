package org.coopvm.hypervisor.xenstore.transport;

import org.agrona.concurrent.AtomicBuffer;
import org.coopvm.hypervisor.xenstore.Xenstored;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Serves every guest's xenstore ring on one thread, which sleeps until a ring is kicked (the
 * guest signalled its xenstore event channel, or xenstored queued output for it).
 *
 * <p>Thread safety: {@link #attach}, {@link #kick} and {@link #close} from any thread.
 */
public final class XenstoreRingServer implements AutoCloseable
{
    private final Xenstored xenstored;
    private final Queue<XenstoreRingConnection> ready = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * Starts the serving thread.
     *
     * @param xenstored the daemon.
     */
    public XenstoreRingServer(final Xenstored xenstored)
    {
        this.xenstored = xenstored;
        this.thread = Thread.ofPlatform().daemon().name("xenstored-rings").start(this::run);
    }

    /**
     * Connects a guest's ring page.
     *
     * @param domid       the guest.
     * @param page        its mapped interface page.
     * @param notifyGuest signals the guest's xenstore event channel.
     * @return the connection; pass it to {@link #kick} when the guest signals.
     */
    public XenstoreRingConnection attach(final int domid, final AtomicBuffer page, final Runnable notifyGuest)
    {
        final XenstoreRingConnection[] self = new XenstoreRingConnection[1];
        self[0] = new XenstoreRingConnection(xenstored, domid, page, notifyGuest, () -> kick(self[0]));
        kick(self[0]);
        return self[0];
    }

    /** Asks the serving thread to service the connection. */
    public void kick(final XenstoreRingConnection connection)
    {
        if (connection != null)
        {
            ready.add(connection);
            LockSupport.unpark(thread);
        }
    }

    @Override
    public void close()
    {
        running = false;
        LockSupport.unpark(thread);
        try
        {
            thread.join(5_000);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void run()
    {
        while (running)
        {
            XenstoreRingConnection connection;
            boolean worked = false;
            while ((connection = ready.poll()) != null)
            {
                worked |= connection.service() > 0;
            }
            if (!worked)
            {
                LockSupport.park(this);
            }
        }
    }
}
