package org.coopvm.perf.report;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A performance goal: one of our figures against the best of some peers (a ratio limit), or
 * against an absolute limit when there are no peers.
 *
 * <p>The direction comes from the metric: for throughput the ratio ours/best peer must be at
 * least {@code limit}; for latency and CPU it must be at most {@code limit}. Immutable; any thread.
 *
 * @param name   what the goal says, e.g. {@code "Xen ring throughput >= Agrona OneToOneRingBuffer"}.
 * @param metric the quantity compared.
 * @param scope  threads or processes.
 * @param waitMode spinning or blocking.
 * @param ours   our subject.
 * @param peers  the subjects to beat; the best of those measured counts. Empty for an absolute goal.
 * @param limit  the ratio limit, or the absolute limit in the metric's unit when {@code peers} is empty.
 */
public record Goal(String name, Metric metric, Scope scope, WaitMode waitMode, Subject ours, List<Subject> peers, double limit)
{
    /** Checks that every part is present and copies the peers. */
    public Goal
    {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(waitMode, "waitMode");
        Objects.requireNonNull(ours, "ours");
        peers = List.copyOf(peers);
    }

    /** @return {@code true} when the goal is an absolute limit rather than a ratio to peers. */
    public boolean absolute()
    {
        return peers.isEmpty();
    }

    /** @return {@code ">="} or {@code "<="}: how the ratio (or value) must compare with the limit. */
    public String comparison()
    {
        return metric.higherIsBetter() ? ">=" : "<=";
    }

    /**
     * Judge this goal from measured figures.
     *
     * @param figures every figure of the run.
     * @return the outcome; {@link GoalResult.Status#NOT_MEASURED} when our figure or every peer is missing.
     */
    public GoalResult evaluate(final List<Figure> figures)
    {
        final Optional<Figure> oursFigure = Figures.find(figures, ours, metric, scope, waitMode);
        if (oursFigure.isEmpty())
        {
            return GoalResult.notMeasured(this);
        }
        final double oursValue = oursFigure.get().value();
        if (absolute())
        {
            return GoalResult.absolute(this, oursValue, passes(oursValue));
        }
        final Optional<Figure> best = Figures.best(figures, peers, metric, scope, waitMode);
        if (best.isEmpty())
        {
            return GoalResult.notMeasured(this);
        }
        final double ratio = oursValue / best.get().value();
        return GoalResult.ratio(this, oursValue, best.get(), ratio, passes(ratio));
    }

    private boolean passes(final double measure)
    {
        return metric.higherIsBetter() ? measure >= limit : measure <= limit;
    }
}
