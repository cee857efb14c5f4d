package org.coopvm.cli.toolstack;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The toolstack's one housekeeping thread ({@code coop-toolstack}): shutdown actions, guest
 * exits, shutdown-request timeouts and the periodic guest watch run here, one at a time, off the
 * hypervisor's lock and off the API threads. Work that fails is counted, never lost silently,
 * and never kills the thread.
 *
 * <p>Thread safety: {@link #execute}, {@link #after} and {@link #every} may be called from any thread.
 */
final class Housekeeping implements AutoCloseable
{
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
        runnable -> Thread.ofPlatform().daemon().name("coop-toolstack").unstarted(runnable));
    private volatile long failures;
    private volatile Throwable lastFailure;

    /** @param work run soon, on the housekeeping thread. */
    void execute(final Runnable work)
    {
        if (!executor.isShutdown())
        {
            executor.execute(() -> runCounted(work));
        }
    }

    /**
     * @param delayMs how long from now.
     * @param work    run once after {@code delayMs} on the housekeeping thread (dropped if closed first).
     */
    void after(final long delayMs, final Runnable work)
    {
        if (!executor.isShutdown())
        {
            executor.schedule(() -> runCounted(work), delayMs, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * @param periodMs how often.
     * @param work     run every {@code periodMs} on the housekeeping thread.
     */
    void every(final long periodMs, final Runnable work)
    {
        executor.scheduleWithFixedDelay(() -> runCounted(work), periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    /** @return housekeeping tasks that threw. */
    long failures()
    {
        return failures;
    }

    /** @return the last failure, or null. */
    Throwable lastFailure()
    {
        return lastFailure;
    }

    /** Stop taking work and drop what is queued; waits briefly for the task that runs. */
    @Override
    public void close()
    {
        executor.shutdownNow();
        try
        {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void runCounted(final Runnable work)
    {
        try
        {
            work.run();
        }
        catch (final RuntimeException ex)
        {
            failures++;
            lastFailure = ex;
        }
    }
}
