package org.coopvm.balloon.engine;

import org.coopvm.balloon.policy.DecisionReason;

/**
 * One decision as the engine made it: what the policy proposed, what was applied after clamping,
 * and why. What the API, {@code coop list} and the trace show.
 *
 * @param round             the engine's round number (from 1).
 * @param timeNs            the engine's clock at the start of the round.
 * @param policy            the policy's name.
 * @param domid             the domain.
 * @param name              the domain's name.
 * @param currentKib        the domain's reservation when the round started.
 * @param previousTargetKib the target before this decision.
 * @param proposedKib       what the policy proposed.
 * @param targetKib         the target after clamping (what {@code memory/target} says if applied).
 * @param reason            why: the clamp reason when clamped, else the policy's.
 * @param policyReason      the policy's own reason.
 * @param detail            the policy's detail, then each clamp's.
 * @param applied           whether the target changed and the sink accepted it.
 * @param repeat            whether this repeats the domain's previous record (same target and
 *                          reason, nothing applied); repeats reach the listener, not the history.
 *
 * <p>Thread safety: immutable.
 */
public record DecisionRecord(
    long round,
    long timeNs,
    String policy,
    int domid,
    String name,
    long currentKib,
    long previousTargetKib,
    long proposedKib,
    long targetKib,
    DecisionReason reason,
    DecisionReason policyReason,
    String detail,
    boolean applied,
    boolean repeat)
{
    /** @return whether the engine clamped the policy's proposal (beyond rounding it down to a 4 KiB page). */
    public boolean clamped()
    {
        return reason != policyReason;
    }

    @Override
    public String toString()
    {
        return "round " + round + " " + policy + " dom" + domid + " (" + name + "): " + previousTargetKib + " -> " +
            targetKib + " KiB " + reason + (applied ? " applied" : "") + ": " + detail;
    }
}
