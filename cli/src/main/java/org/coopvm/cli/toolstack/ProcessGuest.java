package org.coopvm.cli.toolstack;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * A guest running in its own JVM, a child of the host.
 *
 * <p>Thread safety: every method may be called from any thread.
 */
final class ProcessGuest implements Guest
{
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final Process process;

    ProcessGuest(final Process process)
    {
        this.process = process;
    }

    @Override
    public long pid()
    {
        return process.pid();
    }

    @Override
    public long cpuTimeNs()
    {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    @Override
    public boolean isAlive()
    {
        return process.isAlive();
    }

    @Override
    public void pause()
    {
        Signals.send(process.pid(), Signals.SIGSTOP);
    }

    @Override
    public void unpause()
    {
        Signals.send(process.pid(), Signals.SIGCONT);
    }

    @Override
    public boolean awaitExit(final Duration timeout)
    {
        try
        {
            return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    @Override
    public void kill()
    {
        process.destroyForcibly();
        if (!awaitExit(KILL_WAIT))
        {
            throw new IllegalStateException("guest process " + process.pid() + " survived SIGKILL for " + KILL_WAIT);
        }
    }

    @Override
    public void onExit(final IntConsumer action)
    {
        process.onExit().thenAccept(ended -> action.accept(ended.exitValue()));
    }
}
