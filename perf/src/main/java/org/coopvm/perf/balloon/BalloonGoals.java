package org.coopvm.perf.balloon;

import org.coopvm.perf.report.Goal;
import org.coopvm.perf.report.Metric;
import org.coopvm.perf.report.Scope;
import org.coopvm.perf.report.Subject;
import org.coopvm.perf.report.WaitMode;

import java.util.List;

/**
 * The goals of issue 5's balloon benchmark, absolute: inflating and deflating each move at least
 * {@value #MIN_GIB_PER_SECOND} GiB/s, and at least {@value #MIN_RETURNED_FRACTION} of the inflated
 * memory really leaves the machine (resident bytes of the memory file). Stateless; any thread.
 */
public final class BalloonGoals
{
    /** Balloon speed the issue asks for, each direction. */
    public static final double MIN_GIB_PER_SECOND = 2.0;
    /** Fraction of the inflated memory the host must get back. */
    public static final double MIN_RETURNED_FRACTION = 0.99;
    /** Scope of every balloon figure: the guest's vCPU and the hypervisor's dispatcher, two threads of one JVM. */
    static final Scope SCOPE = Scope.THREADS;
    /** Wait mode of our figures: the guest kernel's and dispatcher's default (spin, then sleep). */
    static final WaitMode OURS_WAIT = WaitMode.SPIN_THEN_SLEEP;

    private BalloonGoals()
    {
    }

    /** @return the goals, in the order the report lists them. */
    public static List<Goal> standard()
    {
        return List.of(
            new Goal("balloon inflate >= " + MIN_GIB_PER_SECOND + " GiB/s", Metric.GIB_PER_SECOND, SCOPE, OURS_WAIT,
                Subject.BALLOON_INFLATE, List.of(), MIN_GIB_PER_SECOND),
            new Goal("balloon deflate >= " + MIN_GIB_PER_SECOND + " GiB/s", Metric.GIB_PER_SECOND, SCOPE, OURS_WAIT,
                Subject.BALLOON_DEFLATE, List.of(), MIN_GIB_PER_SECOND),
            new Goal("inflated memory returned to the host >= " + Math.round(MIN_RETURNED_FRACTION * 100) + "%",
                Metric.RETURNED_FRACTION, SCOPE, OURS_WAIT, Subject.BALLOON_INFLATE, List.of(), MIN_RETURNED_FRACTION));
    }
}
