package org.coopvm.perf.report;

/**
 * The outcome of one {@link Goal} in one run. Immutable; any thread.
 *
 * @param goal      the goal judged.
 * @param status    met, missed, or not measured.
 * @param oursValue our figure, {@code NaN} when not measured.
 * @param bestPeer  the best peer measured, {@code null} for absolute goals or when not measured.
 * @param peerValue the best peer's figure, {@code NaN} when none.
 * @param ratio     ours / best peer, {@code NaN} for absolute goals or when not measured.
 */
public record GoalResult(Goal goal, Status status, double oursValue, Subject bestPeer, double peerValue, double ratio)
{
    /** Whether a goal was reached. */
    public enum Status
    {
        /** The figure is on the right side of the limit. */
        MET,
        /** The figure is on the wrong side of the limit. */
        MISSED,
        /** Our figure or every peer figure is missing from the run. */
        NOT_MEASURED
    }

    static GoalResult notMeasured(final Goal goal)
    {
        return new GoalResult(goal, Status.NOT_MEASURED, Double.NaN, null, Double.NaN, Double.NaN);
    }

    static GoalResult absolute(final Goal goal, final double oursValue, final boolean met)
    {
        return new GoalResult(goal, met ? Status.MET : Status.MISSED, oursValue, null, Double.NaN, Double.NaN);
    }

    static GoalResult ratio(final Goal goal, final double oursValue, final Figure peer, final double ratio, final boolean met)
    {
        return new GoalResult(goal, met ? Status.MET : Status.MISSED, oursValue, peer.subject(), peer.value(), ratio);
    }
}
