package org.coopvm.perf.latency;


import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Measures the CPU a receiver uses while it waits on an empty transport: a thread calls
 * {@link PingPongEndpoint#receive(long)} with nothing ever sent, and its CPU time
 * ({@link ThreadMXBean}) is divided by the wall time it waited. Three first waits of a tenth
 * of that time each, not measured, take one-off start-up work out of the figure. Stateless; blocks the calling thread.
 */
public final class IdleWaiterProbe
{
    private static final int WARMUP_WAITS = 3;
    private static final int WARMUP_FRACTION = 10;

    private IdleWaiterProbe()
    {
    }

    /**
     * @param transport what the waiter waits on; only its responder end is used.
     * @param wait      how long the waiter waits.
     * @return CPU used by the waiting thread, in percent of one CPU.
     * @throws IllegalStateException when a message arrives or the waiter fails.
     */
    public static double cpuPercent(final PingPongTransport transport, final Duration wait)
    {
        try (PingPongLink link = transport.create(Optional.empty()))
        {
            final PingPongEndpoint waiter = link.responder();
            final AtomicReference<Object> outcome = new AtomicReference<>();
            final Thread thread = Thread.ofPlatform().name("idle-waiter-" + transport.subject().id())
                .start(() -> outcome.set(waitIdleOrFailure(waiter, wait)));
            join(thread);
            if (outcome.get() instanceof final Double percent)
            {
                return percent;
            }
            throw new IllegalStateException("idle waiter on " + transport.subject().displayName() + ": " + outcome.get());
        }
    }

    private static Object waitIdleOrFailure(final PingPongEndpoint waiter, final Duration wait)
    {
        try
        {
            return waitIdle(waiter, wait);
        }
        catch (final RuntimeException ex)
        {
            return ex.toString();
        }
    }

    private static Object waitIdle(final PingPongEndpoint waiter, final Duration wait)
    {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        // A first CPU-time read and a short first wait load and link what the probe and the wait
        // path use (management classes, FFM downcalls), so the measured wait is the steady state.
        threads.getCurrentThreadCpuTime();
        for (int i = 0; i < WARMUP_WAITS; i++)
        {
            final long warmupReceived = waiter.receive(System.nanoTime() + wait.dividedBy(WARMUP_FRACTION).toNanos());
            if (warmupReceived != PingPongEndpoint.NO_MESSAGE)
            {
                return "received " + warmupReceived + " on a transport nobody sends on";
            }
        }
        final long cpuStartNs = threads.getCurrentThreadCpuTime();
        final long wallStartNs = System.nanoTime();
        final long received = waiter.receive(wallStartNs + wait.toNanos());
        final long wallNs = System.nanoTime() - wallStartNs;
        final long cpuNs = threads.getCurrentThreadCpuTime() - cpuStartNs;
        if (received != PingPongEndpoint.NO_MESSAGE)
        {
            return "received " + received + " on a transport nobody sends on";
        }
        return 100.0 * cpuNs / wallNs;
    }

    private static void join(final Thread thread)
    {
        try
        {
            thread.join();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + thread.getName(), ex);
        }
    }
}
