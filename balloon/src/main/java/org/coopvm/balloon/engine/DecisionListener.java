package org.coopvm.balloon.engine;

import org.coopvm.balloon.policy.PolicySelection;

/**
 * Hears every decision the engine makes (the host's trace hooks here) and every policy switch.
 *
 * <p>Thread safety: called on the engine's thread only; must not block. An exception is counted
 * and otherwise ignored.
 */
public interface DecisionListener
{
    /** A listener that ignores everything. */
    DecisionListener NONE = record -> { };

    /**
     * @param record a decision, after clamping and applying (including repeats, which the
     *               in-memory history leaves out; see {@link DecisionRecord#repeat()}).
     */
    void onDecision(DecisionRecord record);

    /**
     * @param previous the policy that ran until now.
     * @param next     the policy that runs from this round on.
     */
    default void onPolicyChanged(final PolicySelection previous, final PolicySelection next)
    {
    }
}
