package org.coopvm.cli.toolstack;

import org.coopvm.guest.GuestKernel;
import org.coopvm.guest.KernelExit;

import java.time.Duration;
import java.util.function.IntConsumer;

/**
 * A guest kernel running inside the host JVM on the domain's anonymous regions.
 *
 * <p>Pausing: the hypervisor stops serving a paused domain's hypercalls and the CPU scheduler
 * gives its vCPUs no CPU slot, so they run no new step; a step already running finishes (a
 * process guest is stopped with {@code SIGSTOP} at once). Thread safety: any thread.
 */
final class InProcessGuest implements Guest
{
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final GuestKernel kernel;

    InProcessGuest(final GuestKernel kernel)
    {
        this.kernel = kernel;
    }

    @Override
    public long pid()
    {
        return -1;
    }

    @Override
    public long cpuTimeNs()
    {
        return -1;
    }

    @Override
    public boolean isAlive()
    {
        return !kernel.isTerminated();
    }

    @Override
    public void pause()
    {
        // the hypervisor withholds hypercall service; see the class comment
    }

    @Override
    public void unpause()
    {
        // see pause()
    }

    @Override
    public boolean awaitExit(final Duration timeout)
    {
        try
        {
            return kernel.awaitTermination(timeout);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return kernel.isTerminated();
        }
    }

    @Override
    public void kill()
    {
        kernel.close();
        if (!awaitExit(STOP_WAIT))
        {
            throw new IllegalStateException("guest kernel of domain " + kernel.domid() + " did not stop within " + STOP_WAIT);
        }
    }

    @Override
    public void onExit(final IntConsumer action)
    {
        Thread.ofVirtual().name("dom" + kernel.domid() + "-exit-watch").start(() ->
        {
            while (!awaitExit(Duration.ofDays(1)) && !Thread.currentThread().isInterrupted())
            {
                Thread.onSpinWait();
            }
            action.accept(kernel.exit().map(KernelExit::processExitCode).orElse(0));
        });
    }
}
