package org.coopvm.perf.net;

import org.coopvm.perf.report.Goal;
import org.coopvm.perf.report.Metric;
import org.coopvm.perf.report.Scope;
import org.coopvm.perf.report.Subject;
import org.coopvm.perf.report.WaitMode;

import java.util.List;

/**
 * The goal of issue 7's network benchmark: a single stream of 1500-byte payloads between two
 * process guests at least {@value #STREAM_GBIT_PER_SECOND} Gbit/s (Xen's netback does about 14
 * within a host). The round trips and the memcpy floor are reported as ratios, without a goal.
 * Stateless; any thread.
 */
public final class NetGoals
{
    /** Single-stream goal, payload Gbit/s. */
    public static final double STREAM_GBIT_PER_SECOND = 10.0;
    /** Scope of every network figure: the guests, and the ring's two ends, are processes (memcpy, one thread, carries it too). */
    static final Scope SCOPE = Scope.PROCESSES;
    /** Wait mode of every network figure: the defaults users get (spin briefly, then sleep). */
    static final WaitMode WAIT = WaitMode.SPIN_THEN_SLEEP;

    private NetGoals()
    {
    }

    /** @return the goals, in the order the report lists them. */
    public static List<Goal> standard()
    {
        return List.of(new Goal(Subject.NET_STREAM.displayName() + " >= " + STREAM_GBIT_PER_SECOND + " Gbit/s",
            Metric.GBIT_PER_SECOND, SCOPE, WAIT, Subject.NET_STREAM, List.of(), STREAM_GBIT_PER_SECOND));
    }
}
