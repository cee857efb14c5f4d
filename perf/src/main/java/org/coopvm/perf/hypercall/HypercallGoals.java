package org.coopvm.perf.hypercall;

import org.coopvm.perf.report.Goal;
import org.coopvm.perf.report.Metric;
import org.coopvm.perf.report.Scope;
import org.coopvm.perf.report.Subject;
import org.coopvm.perf.report.WaitMode;

import java.util.List;

/**
 * The goal of issue 3's benchmark: a null hypercall's p50 round trip from a process guest within
 * {@value #NULL_HYPERCALL_RATIO_LIMIT}x the raw round trip of the message channel (the ring a
 * hypercall and its response ride on) between two processes, in the same wait mode. Stateless;
 * any thread.
 */
public final class HypercallGoals
{
    /** Null hypercall p50 / raw message channel round-trip p50 must be at most this. */
    public static final double NULL_HYPERCALL_RATIO_LIMIT = 1.5;

    private HypercallGoals()
    {
    }

    /**
     * @param waitModes the wait modes measured.
     * @return one goal per wait mode, in that order.
     */
    public static List<Goal> forModes(final List<WaitMode> waitModes)
    {
        return waitModes.stream().map(HypercallGoals::nullHypercall).toList();
    }

    private static Goal nullHypercall(final WaitMode wait)
    {
        return new Goal("null hypercall " + wait.id() + " p50 within " + NULL_HYPERCALL_RATIO_LIMIT +
            "x the raw " + Subject.CHANNEL.displayName() + " round trip", Metric.RTT_P50, Scope.PROCESSES, wait,
            Subject.NULL_HYPERCALL, List.of(Subject.CHANNEL), NULL_HYPERCALL_RATIO_LIMIT);
    }
}
