package org.coopvm.balloon.engine;

/**
 * How the engine applies a target: the toolstack writes it to the domain's
 * {@code memory/target} in xenstore (KiB, as Xen). Called only when the target changes.
 *
 * <p>Thread safety: called on the engine's thread only; must not block for long.
 */
@FunctionalInterface
public interface TargetSink
{
    /**
     * @param domid     the domain.
     * @param targetKib the new target, already clamped to the domain's floor and maxmem and the pool.
     * @return whether it was applied; false (or an exception) is counted, and the next round tries
     * again because the snapshot still shows the old target.
     */
    boolean applyTarget(int domid, long targetKib);
}
