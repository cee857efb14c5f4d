package org.coopvm.guest.mem;

/**
 * What an allocation under memory pressure reports to {@link MemoryPressureListener}s.
 *
 * <p>Thread safety: immutable.
 */
public enum MemoryPressure
{
    /** Too little was free: the allocation shrank reclaimable caches before it could (try to) succeed. */
    ALLOCATION_STALL,
    /** The allocation returned {@link AllocationResult.OutOfMemory}. */
    OUT_OF_MEMORY
}
