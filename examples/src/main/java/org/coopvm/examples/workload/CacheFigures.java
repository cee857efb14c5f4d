package org.coopvm.examples.workload;

/**
 * The {@code cache} workload's counters at one moment.
 *
 * <p>Thread safety: immutable.
 *
 * @param hits           requests served from the cache.
 * @param misses         requests whose value was fetched (generated).
 * @param evictions      entries dropped to make room or to shrink.
 * @param entries        entries held.
 * @param heldBytes      bytes of guest memory the slabs hold.
 * @param reclaimedBytes bytes given back to guest memory when the kernel (or balloon) shrank the cache.
 * @param badValues      hits whose value did not carry its key's stamp (should stay 0).
 * @param uncached       misses that could not be cached at all (no memory and nothing to evict).
 */
record CacheFigures(long hits, long misses, long evictions, long entries, long heldBytes, long reclaimedBytes, long badValues,
    long uncached)
{
    /** @return hits plus misses. */
    long requests()
    {
        return hits + misses;
    }

    /** @return hits over requests, 0 before the first request. */
    double hitRatio()
    {
        return requests() == 0 ? 0 : (double)hits / requests();
    }
}
