package org.coopvm.hypervisor.api;

/**
 * One decision of the host's balloon policy engine, as the API shows it.
 *
 * @param round             the engine's round (from 1, per policy run).
 * @param atMs              when the round ran, epoch ms.
 * @param policy            the policy's name.
 * @param domid             the domain.
 * @param name              its name.
 * @param currentKib        its populated memory when the round started.
 * @param previousTargetKib the target before.
 * @param proposedKib       what the policy proposed.
 * @param targetKib         the target after the engine's clamps.
 * @param reason            why (the clamp's reason when clamped, else the policy's), e.g. {@code HOST_PRESSURE}.
 * @param policyReason      the policy's own reason.
 * @param detail            the policy's detail, then each clamp's.
 * @param applied           whether the target changed and was written to {@code memory/target}.
 *
 * <p>Thread safety: immutable.
 */
public record BalloonDecisionInfo(
    long round,
    long atMs,
    String policy,
    int domid,
    String name,
    long currentKib,
    long previousTargetKib,
    long proposedKib,
    long targetKib,
    String reason,
    String policyReason,
    String detail,
    boolean applied)
{
}
