package org.coopvm.perf;

import org.coopvm.perf.report.RunInfo;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * What every {@code coop bench} benchmark records around its measurements, the same way: when the
 * run started and how long it took, the system load average at its start and end (a note: other
 * work on the machine skews the figures), and the measurements that failed, each with its reason,
 * while the run goes on (a failure is recorded and reported as progress, never thrown).
 *
 * <p>Thread safety: the benchmark's thread.
 */
public final class BenchmarkRun
{
    private final Consumer<String> progress;
    private final Instant startedAt = Instant.now();
    private final long startNs = System.nanoTime();
    private final double loadAtStart = systemLoadAverage();
    private final List<String> failures = new ArrayList<>();

    /**
     * The run starts now.
     *
     * @param progress receives one line per step, for the command to print.
     */
    public BenchmarkRun(final Consumer<String> progress)
    {
        this.progress = progress;
    }

    /**
     * Report the step as progress, then {@link #attempt} it.
     *
     * @param what        the measurement, as the progress and a failure name it.
     * @param measurement records its figures.
     */
    public void measure(final String what, final Runnable measurement)
    {
        progress.accept(what);
        attempt(what, measurement);
    }

    /**
     * Run a measurement; one that throws is {@link #failed} and the run goes on.
     *
     * @param what        the measurement, as a failure names it.
     * @param measurement records its figures.
     */
    public void attempt(final String what, final Runnable measurement)
    {
        try
        {
            measurement.run();
        }
        catch (final RuntimeException ex)
        {
            failed(what, ex);
        }
    }

    /**
     * A measurement threw: recorded as {@code what: reason} and reported as progress ({@code FAILED what: reason}).
     *
     * @param what the measurement.
     * @param ex   why it failed.
     */
    public void failed(final String what, final RuntimeException ex)
    {
        failures.add(what + ": " + ex.getMessage());
        progress.accept("FAILED " + what + ": " + ex.getMessage());
    }

    /**
     * A failure seen in what a measurement returned (it did not throw): recorded only.
     *
     * @param failure what failed, and why.
     */
    public void failure(final String failure)
    {
        failures.add(failure);
    }

    /** @return the system load average (1 min) when the run started. */
    public double loadAtStart()
    {
        return loadAtStart;
    }

    /**
     * @param effect what other work on the machine does to this benchmark's figures, e.g. {@code skews every figure}.
     * @return the note on the system load average (1 min) at the run's start and now, its end.
     */
    public String loadNote(final String effect)
    {
        return String.format(Locale.ROOT, "system load average (1 min): %.2f at start, %.2f at end; other work on the machine %s",
            loadAtStart, systemLoadAverage(), effect);
    }

    /**
     * The run ends now.
     *
     * @param command the command line.
     * @param mode    {@code quick} or {@code default}.
     * @param notes   how each subject was set up (with the {@link #loadNote}).
     * @return the run's information: this JVM and machine, its time, notes and failures.
     */
    public RunInfo finish(final String command, final String mode, final List<String> notes)
    {
        return RunInfo.ofThisMachine(startedAt, Duration.ofNanos(System.nanoTime() - startNs), command, mode, notes, failures);
    }

    private static double systemLoadAverage()
    {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
