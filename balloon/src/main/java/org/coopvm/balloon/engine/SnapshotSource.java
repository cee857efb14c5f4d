package org.coopvm.balloon.engine;

import org.coopvm.balloon.policy.BalloonSnapshot;

/**
 * Where the engine's snapshots come from: the host pool, every guest domain's figures and its
 * stats history (the toolstack builds it from the hypervisor and the usage and stats regions;
 * {@link StatsHistoryRecorder} keeps the history and freshness).
 *
 * <p>Thread safety: called on the engine's thread only, once per round.
 */
@FunctionalInterface
public interface SnapshotSource
{
    /**
     * @param nowNs the engine's clock at the start of the round.
     * @return the snapshot; an exception (or null) skips the round and is counted.
     */
    BalloonSnapshot snapshot(long nowNs);
}
