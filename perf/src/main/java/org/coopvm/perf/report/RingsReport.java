package org.coopvm.perf.report;

import java.util.List;
import java.util.Objects;

/**
 * Everything one {@code coop bench rings} run measured, and the goals judged from it.
 * Immutable; any thread.
 *
 * @param run     where and how it ran.
 * @param figures every measured figure.
 * @param goals   the goals to judge.
 */
public record RingsReport(RunInfo run, List<Figure> figures, List<Goal> goals)
{
    /** Checks that every part is present and copies the lists. */
    public RingsReport
    {
        Objects.requireNonNull(run, "run");
        figures = List.copyOf(figures);
        goals = List.copyOf(goals);
    }

    /** @return each goal judged against {@link #figures()}, in goal order. */
    public List<GoalResult> goalResults()
    {
        return goals.stream().map(goal -> goal.evaluate(figures)).toList();
    }

    /**
     * @param ours one of our figures in this report.
     * @return ours / best peer (see {@link Figures#bestPeer}), {@code NaN} when no peer was measured.
     */
    public double ratioToBestPeer(final Figure ours)
    {
        return Figures.bestPeer(figures, ours).map(peer -> ours.value() / peer.value()).orElse(Double.NaN);
    }
}
