/**
 * The host's balloon policy engine: {@link org.coopvm.balloon.engine.BalloonEngine} (an Agrona
 * agent) runs the chosen policy at its period on snapshots from a
 * {@link org.coopvm.balloon.engine.SnapshotSource}, clamps its targets
 * ({@link org.coopvm.balloon.engine.TargetClamp}), applies them through a
 * {@link org.coopvm.balloon.engine.TargetSink} and records every decision.
 */
package org.coopvm.balloon.engine;
