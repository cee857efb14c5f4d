package org.coopvm.perf.throughput;

import org.coopvm.perf.report.Figure;
import org.coopvm.perf.report.Metric;
import org.coopvm.perf.report.Scope;
import org.coopvm.perf.report.Subject;
import org.coopvm.perf.report.WaitMode;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Runs the one-way throughput benchmarks under JMH, in one JMH run with forked JVMs started
 * with the project's JVM flags file, and turns each consumer's message rate into a
 * {@link Figure}. JMH's own progress output goes to a log file, never to standard output.
 * Stateless; blocks the calling thread.
 */
public final class ThroughputRunner
{
    /** The JMH benchmark class of each subject that has one. */
    public static final Map<Subject, Class<?>> BENCHMARKS = Map.of(
        Subject.XEN_RING, XenRingThroughput.class,
        Subject.CHANNEL, ChannelThroughput.class,
        Subject.AGRONA_ONE_TO_ONE, AgronaOneToOneThroughput.class,
        Subject.AERON_IPC, AeronIpcThroughput.class);

    /** The {@link ReceivedMessages} counter in JMH's secondary results. */
    private static final String COUNTER = "messages";

    private ThroughputRunner()
    {
    }

    /**
     * @param subjects       which subjects to measure, in report order (those without a benchmark are skipped).
     * @param plan           iterations and times.
     * @param jvmOptionsFile the JVM flags {@code @argfile} for the forks, if any.
     * @param jmhLog         where JMH writes its progress output.
     * @return one throughput figure per measured subject, in messages per second.
     * @throws IllegalStateException when JMH fails.
     */
    public static List<Figure> run(
        final List<Subject> subjects, final ThroughputPlan plan, final Optional<Path> jvmOptionsFile, final Path jmhLog)
    {
        final List<Subject> measured = subjects.stream().filter(BENCHMARKS::containsKey).toList();
        if (measured.isEmpty())
        {
            return List.of();
        }
        final Collection<RunResult> results = runJmh(options(measured, plan, jvmOptionsFile, jmhLog), jmhLog);
        final List<Figure> figures = new ArrayList<>();
        for (final Subject subject : measured)
        {
            figures.add(new Figure(subject, Metric.THROUGHPUT, Scope.THREADS, WaitMode.SPINNING,
                messagesPerSecond(results, BENCHMARKS.get(subject))));
        }
        return figures;
    }

    private static ChainedOptionsBuilder options(
        final List<Subject> subjects, final ThroughputPlan plan, final Optional<Path> jvmOptionsFile, final Path jmhLog)
    {
        final ChainedOptionsBuilder options = new OptionsBuilder()
            .forks(plan.forks())
            .warmupIterations(plan.warmupIterations())
            .warmupTime(TimeValue.milliseconds(plan.warmupTime().toMillis()))
            .measurementIterations(plan.measurementIterations())
            .measurementTime(TimeValue.milliseconds(plan.measurementTime().toMillis()))
            .shouldFailOnError(true)
            .output(jmhLog.toString());
        subjects.forEach(subject -> options.include(includePattern(BENCHMARKS.get(subject))));
        jvmOptionsFile.ifPresent(file -> options.jvmArgs("@" + file));
        return options;
    }

    private static Collection<RunResult> runJmh(final ChainedOptionsBuilder options, final Path jmhLog)
    {
        try
        {
            return new Runner(options.build()).run();
        }
        catch (final RunnerException ex)
        {
            throw new IllegalStateException("JMH failed, see " + jmhLog + ": " + ex.getMessage(), ex);
        }
    }

    private static double messagesPerSecond(final Collection<RunResult> results, final Class<?> benchmark)
    {
        final Pattern pattern = Pattern.compile(includePattern(benchmark));
        for (final RunResult result : results)
        {
            if (pattern.matcher(result.getParams().getBenchmark()).find())
            {
                final Result<?> messages = result.getSecondaryResults().get(COUNTER);
                if (messages == null)
                {
                    throw new IllegalStateException(benchmark.getSimpleName() + " reported no '" + COUNTER + "' counter");
                }
                return messages.getScore();
            }
        }
        throw new IllegalStateException("JMH returned no result for " + benchmark.getSimpleName());
    }

    private static String includePattern(final Class<?> benchmark)
    {
        return "^" + Pattern.quote(benchmark.getName()) + "\\.";
    }
}
