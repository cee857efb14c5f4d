package org.coopvm.perf.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Figures and reports with known numbers, for the report tests. */
final class ReportFixtures
{
    private ReportFixtures()
    {
    }

    static Figure throughput(final Subject subject, final double messagesPerSecond)
    {
        return new Figure(subject, Metric.THROUGHPUT, Scope.THREADS, WaitMode.SPINNING, messagesPerSecond);
    }

    static Figure p50(final Subject subject, final Scope scope, final WaitMode wait, final double ns)
    {
        return new Figure(subject, Metric.RTT_P50, scope, wait, ns);
    }

    static Figure idleCpu(final Subject subject, final double percent)
    {
        return new Figure(subject, Metric.IDLE_CPU, Scope.THREADS, WaitMode.SPIN_THEN_SLEEP, percent);
    }

    static RingsReport report(final List<Figure> figures, final List<String> failures)
    {
        final RunInfo run = new RunInfo(Instant.parse("2026-11-27T12:00:00Z"), Duration.ofSeconds(61),
            "coop bench rings --quick", "quick", 2, "Linux 6.1 amd64", "Eclipse Adoptium 25.0.3",
            List.of("a note"), failures);
        return new RingsReport(run, figures, RingGoals.standard());
    }
}
