package org.coopvm.guest;

import org.coopvm.guest.driver.GuestDriver;
import org.coopvm.guest.driver.RunningDriver;
import org.coopvm.guest.workload.GuestContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The kernel's {@link GuestDriver}s: finds the providers with {@link ServiceLoader}, starts each
 * one not disabled, and stops the started ones, last started first. A provider that cannot be
 * loaded, or whose {@code start} throws, is reported through the console and skipped; a
 * {@code stop} that throws is reported and the others still stop.
 *
 * <p>Thread safety: {@link #startAll} on vCPU 0's thread at boot; {@link #shutdownAll} on the vCPU
 * shutting the domain down; {@link #stopAll} once, on the kernel's thread after the vCPUs ended;
 * {@link #find} from any thread.
 */
final class GuestDrivers
{
    private static final System.Logger LOG = System.getLogger(GuestDrivers.class.getName());

    private final Set<String> disabled;
    private final Consumer<String> report;
    private final Map<String, RunningDriver> running = new LinkedHashMap<>();
    private boolean stopped;

    /**
     * @param disabled names of drivers not to start.
     * @param report   where a driver's failure is reported (the console).
     */
    GuestDrivers(final Set<String> disabled, final Consumer<String> report)
    {
        this.disabled = disabled;
        this.report = report;
    }

    /** @param ctx the kernel's services, passed to every driver. */
    void startAll(final GuestContext ctx)
    {
        final ServiceLoader<GuestDriver> loader = ServiceLoader.load(GuestDriver.class);
        for (final ServiceLoader.Provider<GuestDriver> provider : loader.stream().toList())
        {
            start(provider, ctx);
        }
    }

    /**
     * @param name a driver's name.
     * @return the driver, while it runs.
     */
    synchronized Optional<RunningDriver> find(final String name)
    {
        return stopped ? Optional.empty() : Optional.ofNullable(running.get(name));
    }

    /** The domain shuts down: every started driver detaches, last started first (a driver that throws is logged). */
    void shutdownAll()
    {
        final List<Map.Entry<String, RunningDriver>> drivers;
        synchronized (this)
        {
            if (stopped)
            {
                return;
            }
            drivers = new ArrayList<>(running.entrySet());
        }
        for (int i = drivers.size() - 1; i >= 0; i--)
        {
            try
            {
                drivers.get(i).getValue().shutdown();
            }
            catch (final RuntimeException ex)
            {
                LOG.log(System.Logger.Level.WARNING, "driver " + drivers.get(i).getKey() + " failed to shut down", ex);
            }
        }
    }

    /** Stop every started driver, last started first. */
    void stopAll()
    {
        final RunningDriver[] drivers;
        final String[] names;
        synchronized (this)
        {
            if (stopped)
            {
                return;
            }
            stopped = true;
            drivers = running.values().toArray(new RunningDriver[0]);
            names = running.keySet().toArray(new String[0]);
        }
        for (int i = drivers.length - 1; i >= 0; i--)
        {
            try
            {
                drivers[i].stop();
            }
            catch (final RuntimeException ex)
            {
                LOG.log(System.Logger.Level.WARNING, "driver " + names[i] + " failed to stop", ex);
            }
        }
    }

    private void start(final ServiceLoader.Provider<GuestDriver> provider, final GuestContext ctx)
    {
        final GuestDriver driver;
        try
        {
            driver = provider.get();
        }
        catch (final ServiceConfigurationError | RuntimeException ex)
        {
            report.accept("driver " + provider.type().getName() + " not loaded: " + ex);
            return;
        }
        final String name = driver.name();
        if (disabled.contains(name))
        {
            return;
        }
        try
        {
            final RunningDriver started = driver.start(ctx);
            final boolean keep;
            synchronized (this)
            {
                keep = !stopped;
                if (keep)
                {
                    running.put(name, started);
                }
            }
            if (!keep)
            {
                started.stop(); // the kernel stopped while it started
            }
        }
        catch (final RuntimeException ex)
        {
            LOG.log(System.Logger.Level.WARNING, "dom" + ctx.domid() + ": driver " + name + " failed to start", ex);
            report.accept("driver " + name + " failed to start: " + ex);
        }
    }
}
