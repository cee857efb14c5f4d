package org.coopvm.perf.report;

import java.util.ArrayList;
import java.util.List;

import static org.coopvm.perf.report.Subject.AGRONA_ONE_TO_ONE;
import static org.coopvm.perf.report.Subject.CHANNEL;
import static org.coopvm.perf.report.Subject.FUTEX_BASELINE;
import static org.coopvm.perf.report.Subject.XEN_RING;

/**
 * The goals of issue 2 for the ring benchmarks. Stateless; any thread.
 *
 * <ul>
 *   <li>Xen ring one-way throughput at least that of Agrona's {@code OneToOneRingBuffer};</li>
 *   <li>spinning round trip p50 within 1.2x Agrona's, for threads and for processes;</li>
 *   <li>blocking round trip p50 (sleeping at once, no spin phase) within 1.1x the raw futex
 *       ping-pong, for threads and processes;</li>
 *   <li>an idle waiter at about zero CPU (at most {@value #IDLE_CPU_LIMIT_PERCENT}% of one CPU).</li>
 * </ul>
 */
public final class RingGoals
{
    /** Ours / Agrona throughput must be at least this. */
    public static final double THROUGHPUT_RATIO_LIMIT = 1.0;
    /** Ours / Agrona spinning round-trip p50 must be at most this. */
    public static final double SPINNING_RTT_RATIO_LIMIT = 1.2;
    /** Ours / raw futex blocking round-trip p50 must be at most this. */
    public static final double BLOCKING_RTT_RATIO_LIMIT = 1.1;
    /** "About zero": percent of one CPU an idle waiter may use. */
    public static final double IDLE_CPU_LIMIT_PERCENT = 1.0;

    private RingGoals()
    {
    }

    /** @return the goals, in the order the report lists them. */
    public static List<Goal> standard()
    {
        final List<Goal> goals = new ArrayList<>();
        goals.add(new Goal("Xen ring throughput >= Agrona OneToOneRingBuffer", Metric.THROUGHPUT,
            Scope.THREADS, WaitMode.SPINNING, XEN_RING, List.of(AGRONA_ONE_TO_ONE), THROUGHPUT_RATIO_LIMIT));
        for (final Scope scope : Scope.values())
        {
            for (final Subject ours : List.of(XEN_RING, CHANNEL))
            {
                goals.add(rttGoal(ours, scope, WaitMode.SPINNING, AGRONA_ONE_TO_ONE, SPINNING_RTT_RATIO_LIMIT));
                goals.add(rttGoal(ours, scope, WaitMode.BLOCKING, FUTEX_BASELINE, BLOCKING_RTT_RATIO_LIMIT));
            }
        }
        for (final Subject ours : List.of(XEN_RING, CHANNEL))
        {
            goals.add(new Goal(ours.displayName() + " idle waiter CPU about zero", Metric.IDLE_CPU,
                Scope.THREADS, WaitMode.SPIN_THEN_SLEEP, ours, List.of(), IDLE_CPU_LIMIT_PERCENT));
        }
        return List.copyOf(goals);
    }

    private static Goal rttGoal(
        final Subject ours, final Scope scope, final WaitMode wait, final Subject peer, final double limit)
    {
        final String name = ours.displayName() + " " + wait.id() + " RTT p50, " + scope.displayName() +
            ", within " + limit + "x " + peer.displayName();
        return new Goal(name, Metric.RTT_P50, scope, wait, ours, List.of(peer), limit);
    }
}
