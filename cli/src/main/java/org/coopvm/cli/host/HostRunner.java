package org.coopvm.cli.host;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.coopvm.hypervisor.api.HostControl;
import org.coopvm.hypervisor.api.HostControlFactory;
import org.coopvm.hypervisor.api.ManagementServer;
import org.coopvm.hypervisor.api.RunDirectory;
import org.coopvm.hypervisor.config.HostConfig;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a host in this JVM: claims the run directory, creates the hypervisor, serves the
 * management API, and when finished stops every guest, closes the API and removes the run
 * directory. {@code coop host start --foreground} {@link #run runs} one until
 * {@code POST /v1/host/stop} (or SIGTERM/SIGINT); {@code coop demo} {@link #start starts} one,
 * uses its {@link #control() control} and {@link #finish finishes} it.
 *
 * <p>Thread safety: {@link #run} or {@link #start} on one thread (the host's main); {@link #finish}
 * also from a shutdown hook, serialised; {@link #stopRequested()} from any thread.
 */
public final class HostRunner
{
    private final HostConfig config;
    private final HostControlFactory factory;
    private final RunDirectory runDir;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private volatile boolean stoppedByApi;
    private HostControl control;
    private ManagementServer server;
    private boolean finished;

    /**
     * @param config  the host's config; its run directory is claimed by {@link #start}.
     * @param factory makes the hypervisor.
     */
    public HostRunner(final HostConfig config, final HostControlFactory factory)
    {
        this.config = config;
        this.factory = factory;
        this.runDir = new RunDirectory(config.runDir());
    }

    /**
     * @param out where to say the host is up (and anything left behind on stop).
     * @return exit code 0 once stopped.
     */
    int run(final PrintWriter out)
    {
        start();
        final Thread hook = new Thread(() -> finish(out), "coop-host-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("CoopVM host running: pid " + ProcessHandle.current().pid() + ", API 127.0.0.1:" + server.port() +
            ", run dir " + runDir.root());
        out.flush();
        awaitStop();
        finish(out);
        Runtime.getRuntime().removeShutdownHook(hook);
        return 0;
    }

    /**
     * Claim the run directory, create the hypervisor and serve the API. On failure nothing is left
     * but {@code host.log}.
     */
    public void start()
    {
        runDir.claim();
        try
        {
            control = factory.create(config, registry);
            server = ManagementServer.start(control, runDir, config.apiPort(), registry, () ->
            {
                stoppedByApi = true;
                stopRequested.countDown();
            });
        }
        catch (final RuntimeException ex)
        {
            if (control != null)
            {
                control.stop();
            }
            registry.close();
            runDir.removeExcept(Set.of(RunDirectory.HOST_LOG));
            throw ex;
        }
    }

    private void awaitStop()
    {
        boolean interrupted = false;
        while (stopRequested.getCount() > 0)
        {
            try
            {
                stopRequested.await();
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the started host's control (what the API serves). */
    public HostControl control()
    {
        return control;
    }

    /** @return the API's port on 127.0.0.1. */
    public int apiPort()
    {
        return server.port();
    }

    /** @return whether {@code POST /v1/host/stop} (e.g. {@code coop host stop}) asked the host to stop. */
    public boolean stopRequested()
    {
        return stopRequested.getCount() == 0;
    }

    /**
     * Stop every guest (unless the API did), close the API and remove the run directory. Idempotent.
     *
     * @param out where to say what was left behind, if anything.
     */
    public synchronized void finish(final PrintWriter out)
    {
        if (finished || server == null)
        {
            return; // finished already, or never started (start cleaned up after itself)
        }
        finished = true;
        try
        {
            if (!stoppedByApi)
            {
                control.stop();
            }
        }
        finally
        {
            server.close();
            registry.close();
            reportLeftovers(runDir.remove(), out);
        }
    }

    private void reportLeftovers(final List<String> left, final PrintWriter out)
    {
        if (!left.isEmpty())
        {
            out.println("CoopVM host stopped; left in " + runDir.root() + " (not made by CoopVM): " + left);
        }
        out.flush();
    }
}
