package org.coopvm.balloon.host;

import org.coopvm.hypervisor.api.ConvergenceReport;

/**
 * Hears every convergence report (the host's trace and metrics hook here).
 *
 * <p>Thread safety: called on the tracker's thread only; must not block. An exception is counted
 * and otherwise ignored.
 */
@FunctionalInterface
public interface ConvergenceListener
{
    /** A listener that ignores everything. */
    ConvergenceListener NONE = report -> { };

    /** @param report how one change of a domain's target ended. */
    void onReport(ConvergenceReport report);
}
