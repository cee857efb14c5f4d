package org.coopvm.cli.demo;

import org.coopvm.cli.OperationFailedException;
import org.coopvm.cli.host.HostRunner;
import org.coopvm.cli.toolstack.ToolstackFactory;
import org.coopvm.hypervisor.api.DomainInfo;
import org.coopvm.hypervisor.api.HostControl;
import org.coopvm.hypervisor.config.DomainConfig;
import org.coopvm.hypervisor.config.HostConfig;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One {@code coop demo}: a host in a private run directory (its own {@link HostRunner}, in this
 * JVM), the three guests, the live view until the duration is up (or Ctrl-C), the summary, and
 * the clean-up: every guest and the host stopped, the run directory removed. The clean-up runs in
 * a {@code finally} and, should the JVM be asked to exit (Ctrl-C, SIGTERM), from a shutdown hook
 * that first lets the demo's thread finish it.
 *
 * <p>Thread safety: {@link #run()} on the command's thread; the hook only signals and waits, or
 * cleans up itself if the demo's thread does not within {@link #HOOK_WAIT_SECONDS}.
 */
final class DemoRun
{
    /** How long the shutdown hook waits for the demo's thread to clean up before doing it itself. */
    static final long HOOK_WAIT_SECONDS = 30;
    private static final String RUN_DIR_PREFIX = "coop-demo-";

    private final DemoSettings settings;
    private final DemoDisplay display;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch cleaned = new CountDownLatch(1);
    private HostRunner host;
    private Path runDir;
    private boolean cleanedUp;

    DemoRun(final DemoSettings settings, final DemoDisplay display)
    {
        this.settings = settings;
        this.display = display;
    }

    /**
     * @return 0 once the demo ran (or was interrupted) and cleaned up.
     * @throws OperationFailedException when it could not run; it has cleaned up.
     */
    int run()
    {
        final List<Path> configs = configs();
        final Thread hook = Thread.ofPlatform().name("coop-demo-shutdown").unstarted(this::onExit);
        Runtime.getRuntime().addShutdownHook(hook);
        try
        {
            runDir = createRunDir();
            host = new HostRunner(hostConfig(runDir), new ToolstackFactory());
            host.start();
            display.say("coop demo: a private host in " + runDir + " (API 127.0.0.1:" + host.apiPort() + "; meanwhile " +
                "COOP_RUN_DIR=" + runDir + " ./coop list works), balloon policy " + settings.policyText());
            show(host.control(), configs);
            return 0;
        }
        finally
        {
            cleanUp();
            removeHook(hook);
        }
    }

    private void show(final HostControl control, final List<Path> configs)
    {
        try (DemoSampler sampler = new DemoSampler(control, runDir, settings.policyText(), new DemoDecisions(control)))
        {
            final long startNs = System.nanoTime();
            for (final Path config : configs)
            {
                final DomainInfo guest = control.create(DomainConfig.read(config));
                display.say("coop demo: created " + guest.name() + " (domain " + guest.domid() + ", pid " + guest.pid() + ") from " +
                    config);
            }
            final DemoHistory history = new DemoHistory();
            final long durationMs = settings.duration().toMillis();
            long nextMs = 0;
            while (!stopped() && nextMs <= durationMs)
            {
                final DemoFrame frame = sampler.sample(elapsedMs(startNs), durationMs);
                history.add(frame);
                display.show(frame);
                nextMs += settings.interval().toMillis();
                awaitStop(Math.min(nextMs, durationMs + 1) - elapsedMs(startNs));
            }
            display.say(DemoSummary.lines(settings.policyText(), stopped(), history, DemoTrace.memoryMoved(runDir),
                DemoTrace.balloon(runDir)));
        }
    }

    private boolean stopped()
    {
        return stop.getCount() == 0 || host.stopRequested();
    }

    private void awaitStop(final long ms)
    {
        if (ms <= 0)
        {
            return;
        }
        try
        {
            stop.await(ms, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            stop.countDown();
        }
    }

    private List<Path> configs()
    {
        final List<Path> configs = new ArrayList<>();
        for (final String name : DemoSettings.GUEST_CONFIGS)
        {
            final Path config = settings.domainsDir().resolve(name);
            if (!Files.isRegularFile(config))
            {
                throw new OperationFailedException("no " + name + " in " + settings.domainsDir() +
                    ": run from a CoopVM checkout, or give --domains DIR");
            }
            configs.add(config);
        }
        return configs;
    }

    private static HostConfig hostConfig(final Path runDir)
    {
        return HostConfig.parse("", "coop demo", Map.of("run_dir", runDir.toString(), "pool_mib",
            Integer.toString(DemoSettings.POOL_MIB)), runDir).withBalloonPolicy(DemoSettings.POLICY, DemoSettings.POLICY_ARGS);
    }

    private static Path createRunDir()
    {
        final Path shm = Path.of("/dev/shm");
        final Path base = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        try
        {
            return Files.createTempDirectory(base, RUN_DIR_PREFIX,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        catch (final IOException ex)
        {
            throw new OperationFailedException("cannot make a run directory under " + base + ": " + ex.getMessage());
        }
    }

    /** Stops every guest and the host, removes the run directory. Idempotent; the demo's thread or the hook. */
    private synchronized void cleanUp()
    {
        if (cleanedUp)
        {
            return;
        }
        cleanedUp = true;
        try
        {
            final StringWriter left = new StringWriter();
            if (host != null)
            {
                host.finish(new PrintWriter(left, true));
            }
            deleteIfEmpty(runDir);
            display.say("coop demo: stopped every guest and the host, removed " + runDir +
                (left.toString().isBlank() ? "" : "; " + left.toString().strip()));
        }
        finally
        {
            cleaned.countDown();
        }
    }

    /** The shutdown hook: stop the demo, give its thread time to clean up, else clean up here. */
    private void onExit()
    {
        stop.countDown();
        try
        {
            if (!cleaned.await(HOOK_WAIT_SECONDS, TimeUnit.SECONDS))
            {
                cleanUp();
            }
        }
        catch (final InterruptedException ex)
        {
            cleanUp();
        }
    }

    private static void removeHook(final Thread hook)
    {
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException ex)
        {
            // the JVM is exiting (Ctrl-C): the hook is running and sees the clean-up done
        }
    }

    private static void deleteIfEmpty(final Path dir)
    {
        if (dir == null)
        {
            return;
        }
        try
        {
            Files.deleteIfExists(dir);
        }
        catch (final IOException ex)
        {
            // not empty (something not ours): the message above names what was left
        }
    }

    private static long elapsedMs(final long startNs)
    {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
    }
}
