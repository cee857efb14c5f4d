package org.coopvm.guest.mem;

import java.util.Optional;

/**
 * What {@link GuestMemory#allocate} and {@link GuestMemory#allocatePages} return: the memory, or
 * why there was none. Out of memory is a normal outcome a workload handles, for example:
 *
 * <pre>{@code
 * switch (ctx.memory().allocate(bytes))
 * {
 *     case AllocationResult.Allocated(final Allocation memory) -> use(memory);
 *     case AllocationResult.OutOfMemory oom -> evictOrWait(oom.requestedPages());
 * }
 * }</pre>
 *
 * <p>Thread safety: immutable.
 */
public sealed interface AllocationResult permits AllocationResult.Allocated, AllocationResult.OutOfMemory
{
    /**
     * The memory was allocated (and zeroed).
     *
     * @param allocation the handle; give it back with {@link GuestMemory#free}.
     */
    record Allocated(Allocation allocation) implements AllocationResult
    {
    }

    /**
     * Not enough free memory, even after asking the reclaimable caches to shrink.
     *
     * @param requestedPages pages asked for.
     * @param freePages      pages free when the allocation gave up.
     */
    record OutOfMemory(long requestedPages, long freePages) implements AllocationResult
    {
    }

    /** @return the allocation, or empty when out of memory. */
    default Optional<Allocation> toOptional()
    {
        return this instanceof Allocated(final Allocation allocation) ? Optional.of(allocation) : Optional.empty();
    }
}
