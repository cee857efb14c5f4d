package org.coopvm.balloon.policy;

import java.util.Objects;

/**
 * A policy's decision for one domain: the target it wants and why.
 *
 * @param domid     the domain.
 * @param targetKib the new target.
 * @param reason    why, typed.
 * @param detail    why, for a human (figures the policy used).
 *
 * <p>Thread safety: immutable.
 */
public record BalloonDecision(int domid, long targetKib, DecisionReason reason, String detail)
{
    /** Validate the reason and detail are present. */
    public BalloonDecision
    {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }

    /**
     * @param view   the domain.
     * @param reason why nothing changes.
     * @param detail for a human.
     * @return a decision that keeps the domain's current target.
     */
    public static BalloonDecision keep(final DomainView view, final DecisionReason reason, final String detail)
    {
        return new BalloonDecision(view.domid(), view.targetKib(), reason, detail);
    }

    /**
     * @param view the domain.
     * @return a decision that keeps the target because the domain's stats cannot be acted on.
     */
    public static BalloonDecision keepForStats(final DomainView view)
    {
        return keep(view, view.statsStatus().reason(), view.statsProblem());
    }
}
