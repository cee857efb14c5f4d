package org.coopvm.cli.demo;

import org.coopvm.hypervisor.api.ConvergenceOutcome;
import org.coopvm.hypervisor.trace.TraceFilter;
import org.coopvm.hypervisor.trace.TraceReader;
import org.coopvm.hypervisor.trace.TraceRecord;
import org.coopvm.hypervisor.trace.TraceRecordType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The summary's figures from the host's trace, read back once at the end of the demo while the
 * host still runs: every reservation call ({@code MEMORY} records) counted each way, every
 * balloon decision ({@code BALLOON_DECISION}) and every convergence report ({@code BALLOON_REPORT})
 * by outcome, with the time each reached change took. Stateless.
 */
final class DemoTrace
{
    private DemoTrace()
    {
    }

    /**
     * Memory moved between the guests and the host.
     *
     * @param givenBackPages pages guests gave back ({@code decrease_reservation} done).
     * @param decreaseCalls  {@code decrease_reservation} calls.
     * @param takenPages     pages guests were given ({@code populate_physmap} / {@code increase_reservation} done).
     * @param populateCalls  those calls.
     */
    record MemoryMoved(long givenBackPages, long decreaseCalls, long takenPages, long populateCalls)
    {
    }

    /**
     * The balloon's work: the policy's decisions and how the target changes ended.
     *
     * @param decisions     decisions the engine recorded.
     * @param applied       those that changed a target (written to {@code memory/target}).
     * @param reachedMs     for each change that reached its (possibly clamped) target, the time it took.
     * @param otherOutcomes how many changes ended otherwise, by outcome label.
     */
    record Balloon(long decisions, long applied, List<Long> reachedMs, Map<String, Long> otherOutcomes)
    {
        /** Copies the collections. */
        Balloon
        {
            reachedMs = List.copyOf(reachedMs);
            otherOutcomes = Map.copyOf(otherOutcomes);
        }

        /** @return e.g. {@code 40 decisions, 12 targets changed; 12 reports: 11 reached (median 40 ms, max 130 ms), 1 superseded}. */
        String describe()
        {
            final List<Long> sorted = reachedMs.stream().sorted().toList();
            final long reports = sorted.size() + otherOutcomes.values().stream().mapToLong(Long::longValue).sum();
            final StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%d decisions, %d targets changed; %d reports: " +
                "%d reached", decisions, applied, reports, sorted.size()));
            if (!sorted.isEmpty())
            {
                text.append(String.format(Locale.ROOT, " (median %d ms, max %d ms)", sorted.get(sorted.size() / 2), sorted.getLast()));
            }
            new TreeMap<>(otherOutcomes).forEach((outcome, count) -> text.append(", ").append(count).append(' ').append(outcome));
            return text.toString();
        }
    }

    /**
     * @param runDir the host's run directory.
     * @return the totals over the whole trace.
     */
    static MemoryMoved memoryMoved(final Path runDir)
    {
        final long[] totals = new long[4];
        try (TraceReader reader = TraceReader.openInRunDir(runDir))
        {
            reader.forEach(new TraceFilter(TraceFilter.ANY_DOMAIN, EnumSet.of(TraceRecordType.MEMORY), Long.MIN_VALUE, Long.MAX_VALUE),
                record -> count((TraceRecord.Memory)record, totals));
        }
        return new MemoryMoved(totals[0], totals[1], totals[2], totals[3]);
    }

    /**
     * @param runDir the host's run directory.
     * @return the balloon's decisions and reports over the whole trace.
     */
    static Balloon balloon(final Path runDir)
    {
        final long[] decisions = new long[2];
        final List<Long> reachedMs = new ArrayList<>();
        final Map<String, Long> others = new HashMap<>();
        try (TraceReader reader = TraceReader.openInRunDir(runDir))
        {
            reader.forEach(new TraceFilter(TraceFilter.ANY_DOMAIN, EnumSet.of(TraceRecordType.BALLOON_DECISION,
                TraceRecordType.BALLOON_REPORT), Long.MIN_VALUE, Long.MAX_VALUE), record ->
            {
                switch (record)
                {
                    case TraceRecord.BalloonDecision decision ->
                    {
                        decisions[0]++;
                        decisions[1] += decision.applied() ? 1 : 0;
                    }
                    case TraceRecord.BalloonReport report -> countReport(report, reachedMs, others);
                    default -> { }
                }
            });
        }
        return new Balloon(decisions[0], decisions[1], reachedMs, others);
    }

    private static void countReport(final TraceRecord.BalloonReport report, final List<Long> reachedMs, final Map<String, Long> others)
    {
        final ConvergenceOutcome outcome = Arrays.stream(ConvergenceOutcome.values())
            .filter(known -> known.wireName().equals(report.outcome())).findFirst().orElse(null);
        if (outcome != null && outcome.isReached())
        {
            reachedMs.add(report.elapsedMs());
        }
        else
        {
            others.merge(outcome == null ? report.outcome() : outcome.label(), 1L, Long::sum);
        }
    }

    private static void count(final TraceRecord.Memory call, final long[] totals)
    {
        final long pages = Math.max(0, call.result()) << call.order();
        final int slot = "decrease_reservation".equals(call.cmd()) ? 0 : 2;
        totals[slot] += pages;
        totals[slot + 1]++;
    }
}
