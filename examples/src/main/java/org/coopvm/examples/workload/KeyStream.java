package org.coopvm.examples.workload;

/**
 * The keys of a synthetic request stream, {@code 0 .. keys - 1}, drawn from a seeded
 * distribution: the same seed gives the same stream.
 *
 * <p>Thread safety: not thread-safe; one reader (the workload's task).
 */
interface KeyStream
{
    /** @return the next key. */
    int nextKey();
}
