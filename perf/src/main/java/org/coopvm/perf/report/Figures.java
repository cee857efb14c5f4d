package org.coopvm.perf.report;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Look-ups over the figures of one run. Stateless; any thread. */
public final class Figures
{
    private Figures()
    {
    }

    /**
     * @param figures every figure of a run.
     * @param subject what was measured.
     * @param metric  the quantity.
     * @param scope   threads or processes.
     * @param wait    spinning or blocking.
     * @return the matching figure, if measured.
     */
    public static Optional<Figure> find(
        final List<Figure> figures, final Subject subject, final Metric metric, final Scope scope, final WaitMode wait)
    {
        return figures.stream().filter(f -> f.subject() == subject && f.isOf(metric, scope, wait)).findFirst();
    }

    /**
     * @param figures  every figure of a run.
     * @param subjects the candidates.
     * @param metric   the quantity, which says whether higher or lower is better.
     * @param scope    threads or processes.
     * @param wait     spinning or blocking.
     * @return the best measured figure among the candidates, if any was measured.
     */
    public static Optional<Figure> best(
        final List<Figure> figures, final Collection<Subject> subjects, final Metric metric, final Scope scope, final WaitMode wait)
    {
        final Comparator<Figure> byValue = Comparator.comparingDouble(Figure::value);
        return figures.stream()
            .filter(f -> subjects.contains(f.subject()) && f.isOf(metric, scope, wait))
            .max(metric.higherIsBetter() ? byValue : byValue.reversed());
    }

    /**
     * @param figures every figure of a run.
     * @param ours    one of our figures.
     * @return the best peer figure of the same metric and scope, with the wait mode
     *         {@link WaitMode#peerMode()}, if any was measured ({@link Subject#recorded()} peers never count).
     */
    public static Optional<Figure> bestPeer(final List<Figure> figures, final Figure ours)
    {
        final List<Subject> peers = figures.stream().map(Figure::subject).filter(s -> !s.ours() && !s.recorded())
            .distinct().toList();
        return best(figures, peers, ours.metric(), ours.scope(), ours.waitMode().peerMode());
    }

    /**
     * @param values measurements of one figure over a run's rounds (at least one).
     * @return their median (the mean of the middle two for an even count).
     */
    public static double median(final List<Double> values)
    {
        final List<Double> sorted = values.stream().sorted().toList();
        final int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
