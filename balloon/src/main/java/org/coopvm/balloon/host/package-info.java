/**
 * The balloon on the host side, as the toolstack runs it: the {@link org.coopvm.balloon.host.ConvergenceTracker}
 * (every change of a domain's {@code memory/target} ends in one convergence report), the policy
 * engine's real {@link org.coopvm.balloon.engine.SnapshotSource} and
 * {@link org.coopvm.balloon.engine.TargetSink} over the hypervisor and xenstore, the balloon
 * metrics, and {@link org.coopvm.balloon.host.HostBalloon}, which runs both agents.
 */
package org.coopvm.balloon.host;
