package org.coopvm.perf.block;

import org.coopvm.perf.report.Goal;
import org.coopvm.perf.report.Scope;
import org.coopvm.perf.report.WaitMode;

import java.util.ArrayList;
import java.util.List;

/**
 * The goals of issue 7's block benchmark, as ratios to direct {@code FileChannel} I/O on the same
 * image from one thread in the same run: 4 KiB random reads and writes at least
 * {@value #RANDOM_RATIO}x its IOPS, 64 KiB sequential reads and writes at least
 * {@value #SEQUENTIAL_RATIO}x its MB/s. Stateless; any thread.
 */
public final class BlockGoals
{
    /** Random 4 KiB IOPS through the split driver, as a fraction of direct. */
    public static final double RANDOM_RATIO = 0.5;
    /** Sequential 64 KiB MB/s through the split driver, as a fraction of direct. */
    public static final double SEQUENTIAL_RATIO = 0.8;
    /** Scope of every block figure: the guest's vCPU, dom0's ring agent, threads of one JVM. */
    static final Scope SCOPE = Scope.THREADS;
    /**
     * Wait mode of every block figure: the guest kernel's and the ring agent's defaults (spin, then
     * sleep); the direct figures carry it too so a goal pairs them (a FileChannel call waits for no peer).
     */
    static final WaitMode WAIT = WaitMode.SPIN_THEN_SLEEP;

    private BlockGoals()
    {
    }

    /** @return the goals, in the order the report lists them. */
    public static List<Goal> standard()
    {
        final List<Goal> goals = new ArrayList<>();
        for (final IoCase ioCase : IoCase.ALL)
        {
            final double limit = ioCase.random() ? RANDOM_RATIO : SEQUENTIAL_RATIO;
            goals.add(new Goal(ioCase.ours().displayName() + " >= " + limit + "x " + ioCase.direct().displayName(), ioCase.metric(),
                SCOPE, WAIT, ioCase.ours(), List.of(ioCase.direct()), limit));
        }
        return goals;
    }
}
