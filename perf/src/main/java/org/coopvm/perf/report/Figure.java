package org.coopvm.perf.report;

import java.util.Objects;

/**
 * One measured number: what ({@link Subject}), which quantity ({@link Metric}), where
 * ({@link Scope}) and how the receiver waited ({@link WaitMode}).
 *
 * <p>Immutable; any thread.
 *
 * @param subject what was measured.
 * @param metric  the quantity, which gives the unit.
 * @param scope   threads or processes.
 * @param waitMode spinning or blocking receiver.
 * @param value   the number, in {@link Metric#unit()}.
 */
public record Figure(Subject subject, Metric metric, Scope scope, WaitMode waitMode, double value)
{
    /** Checks that every part is present. */
    public Figure
    {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(waitMode, "waitMode");
    }

    /** @return a stable identifier, e.g. {@code rtt-p50.threads.spinning.xen-ring}. */
    public String id()
    {
        return metric.id() + "." + scope.id() + "." + waitMode.id() + "." + subject.id();
    }

    /**
     * @param otherMetric the metric to compare.
     * @param otherScope  the scope to compare.
     * @param otherWait   the wait mode to compare.
     * @return whether this figure is of that metric, scope and wait mode.
     */
    public boolean isOf(final Metric otherMetric, final Scope otherScope, final WaitMode otherWait)
    {
        return metric == otherMetric && scope == otherScope && waitMode == otherWait;
    }
}
