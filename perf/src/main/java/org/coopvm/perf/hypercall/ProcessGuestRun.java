package org.coopvm.perf.hypercall;

import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.hypervisor.hypercall.ConsoleSink;
import org.coopvm.perf.RunDirs;
import org.coopvm.perf.latency.ChildJvm;
import org.coopvm.perf.latency.RoundTripResult;
import org.coopvm.perf.report.WaitMode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One benchmark run with a real hypervisor in this JVM and process guests: makes a fresh run
 * directory, starts the hypervisor's dispatcher (tuned for the wait mode), creates one domain per
 * guest (1 vCPU, 4 MiB) and the control file, boots each guest kernel in its own JVM
 * ({@link BenchGuestMain}), waits for the measuring guest's results, and reads them. Whatever
 * happens, every child JVM is destroyed and the run directory deleted. Stateless; blocks the
 * calling thread for the run.
 */
final class ProcessGuestRun
{
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration EXIT_GRACE = Duration.ofSeconds(10);
    private static final long MEMORY_KIB = 4096;
    private static final int CONSOLE_TAIL_CHARS = 4000;

    private ProcessGuestRun()
    {
    }

    /**
     * What one guest runs.
     *
     * @param name     domain name.
     * @param workload the benchmark workload's name.
     * @param args     its arguments.
     */
    record Guest(String name, String workload, Map<String, String> args)
    {
    }

    /**
     * The measuring guest's results.
     *
     * @param roundTrip round-trip percentiles.
     * @param oneWay    one-way percentiles (empty histogram for the null hypercall).
     */
    record Results(RoundTripResult roundTrip, RoundTripResult oneWay)
    {
    }

    /**
     * @param mode      how the dispatcher and the guests wait.
     * @param guests    the guests, created (domids) and started in this order; the last one measures.
     * @param childJvm  how to start a guest JVM.
     * @param base      where to make the run directory (tmpfs).
     * @param timeout   how long the measuring may take once the guests are started.
     * @return the measuring guest's results.
     * @throws IllegalStateException when a guest fails, times out or reports failure.
     */
    static Results run(final WaitMode mode, final List<Guest> guests, final ChildJvm childJvm, final Path base, final Duration timeout)
    {
        final Path runDir = RunDirs.create(base, "coop-hcbench-");
        try
        {
            return runIn(runDir, mode, guests, childJvm, timeout);
        }
        finally
        {
            deleteQuietly(runDir);
        }
    }

    private static Results runIn(
        final Path runDir, final WaitMode mode, final List<Guest> guests, final ChildJvm childJvm, final Duration timeout)
    {
        final StringBuffer console = new StringBuffer();
        final ConsoleSink sink = (domain, bytes, offset, length) ->
            console.append("dom").append(domain.domid()).append(": ").append(bytes.getStringWithoutLengthUtf8(offset, length));
        final List<Process> children = new ArrayList<>();
        final List<Path> logs = new ArrayList<>();
        try (Hypervisor hypervisor = new Hypervisor(WaitTuning.host(HypervisorConfig.defaults(runDir).withConsole(sink), mode));
            BenchControl control = BenchControl.create(runDir))
        {
            try
            {
                hypervisor.start();
                final List<Integer> domids = new ArrayList<>();
                for (final Guest guest : guests)
                {
                    final Domain domain = hypervisor.createDomain(new DomainSpec(guest.name(), 1, MEMORY_KIB, MEMORY_KIB, 0, false,
                        guest.workload(), guest.args(), 1, DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES,
                        DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES));
                    control.guestDomid(domids.size(), domain.domid());
                    domids.add(domain.domid());
                }
                final Duration childTimeout = STARTUP_TIMEOUT.plus(timeout);
                for (final int domid : domids)
                {
                    final Path log = runDir.resolve("dom" + domid + ".log");
                    logs.add(log);
                    children.add(start(childJvm, runDir, domid, mode, childTimeout, log));
                }
                awaitExit(children.getLast(), childTimeout.plus(EXIT_GRACE), "measuring guest", console, logs);
                for (final Process child : children)
                {
                    awaitExit(child, EXIT_GRACE, "guest", console, logs);
                }
                if (control.status() != BenchControlDescriptor.DONE)
                {
                    throw failure("the measuring guest reported no results (status " + control.status() + ")", console, logs);
                }
                return new Results(control.result(BenchControlDescriptor.ROUND_TRIP_RESULT_OFFSET),
                    control.result(BenchControlDescriptor.ONE_WAY_RESULT_OFFSET));
            }
            finally
            {
                children.forEach(ProcessGuestRun::destroy);
            }
        }
    }

    private static Process start(
        final ChildJvm childJvm, final Path runDir, final int domid, final WaitMode mode, final Duration timeout, final Path log)
    {
        final List<String> args = List.of(runDir.toString(), Integer.toString(domid), mode.id(), Long.toString(timeout.toMillis()));
        try
        {
            return new ProcessBuilder(childJvm.command(BenchGuestMain.class, args))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot start a guest JVM: " + ex, ex);
        }
    }

    private static void awaitExit(
        final Process child, final Duration timeout, final String what, final StringBuffer console, final List<Path> logs)
    {
        try
        {
            if (!child.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
            {
                throw failure(what + " JVM did not finish within " + timeout, console, logs);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a guest JVM", ex);
        }
        if (child.exitValue() != 0)
        {
            throw failure(what + " JVM exited with " + child.exitValue(), console, logs);
        }
    }

    private static IllegalStateException failure(final String what, final StringBuffer console, final List<Path> logs)
    {
        final StringBuilder message = new StringBuilder(what);
        for (final Path log : logs)
        {
            message.append("; ").append(log.getFileName()).append(": ").append(read(log));
        }
        final String text = console.toString().strip();
        message.append("; console: ").append(text.substring(Math.max(0, text.length() - CONSOLE_TAIL_CHARS)));
        return new IllegalStateException(message.toString());
    }

    private static void destroy(final Process child)
    {
        if (child.isAlive())
        {
            child.destroyForcibly();
            try
            {
                child.onExit().get(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (final Exception ignored)
            {
                // the kernel reaps it; nothing more to do from here
            }
        }
    }


    private static String read(final Path log)
    {
        try
        {
            final String text = Files.readString(log, StandardCharsets.UTF_8).strip();
            return text.substring(Math.max(0, text.length() - CONSOLE_TAIL_CHARS));
        }
        catch (final IOException ex)
        {
            return "(no output: " + ex + ")";
        }
    }

    private static void deleteQuietly(final Path runDir)
    {
        try
        {
            RunDirs.deleteTree(runDir);
        }
        catch (final UncheckedIOException ignore)
        {
            // a leftover directory under tmpfs is harmless; the test checks nothing is left
        }
    }
}
