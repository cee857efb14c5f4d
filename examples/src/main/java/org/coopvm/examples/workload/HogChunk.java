package org.coopvm.examples.workload;

import org.coopvm.guest.mem.Allocation;
import org.coopvm.guest.mem.AllocationResult;
import org.coopvm.guest.mem.GuestMemory;
import org.coopvm.guest.mem.SwappableAllocation;

import java.util.Optional;

/**
 * One chunk of the {@code hog}'s memory: pinned guest pages, or swappable ones the kernel may
 * page out to the domain's swap disk (then a read or write waits for the page to come back).
 *
 * <p>Thread safety: as the memory behind it (the hog's task uses it).
 */
sealed interface HogChunk permits HogChunk.Pinned, HogChunk.Swappable
{
    /**
     * @param memory    the guest's memory.
     * @param pages     pages in the chunk.
     * @param swappable whether the kernel may swap it out.
     * @return the chunk, empty when out of memory.
     */
    static Optional<HogChunk> allocate(final GuestMemory memory, final int pages, final boolean swappable)
    {
        if (swappable)
        {
            return memory.allocateSwappable(pages).map(Swappable::new);
        }
        return memory.allocatePages(pages) instanceof AllocationResult.Allocated(final Allocation pinned) ?
            Optional.of(new Pinned(pinned)) : Optional.empty();
    }

    /** @param offset byte offset. @return the long there. */
    long getLong(long offset);

    /** @param offset byte offset. @param value the long to store. */
    void putLong(long offset, long value);

    /** @param memory the memory it came from: give it back. */
    void free(GuestMemory memory);

    /** @param memory pinned pages. */
    record Pinned(Allocation memory) implements HogChunk
    {
        @Override
        public long getLong(final long offset)
        {
            return memory.getLong(offset);
        }

        @Override
        public void putLong(final long offset, final long value)
        {
            memory.putLong(offset, value);
        }

        @Override
        public void free(final GuestMemory from)
        {
            from.free(memory);
        }
    }

    /** @param memory swappable pages. */
    record Swappable(SwappableAllocation memory) implements HogChunk
    {
        @Override
        public long getLong(final long offset)
        {
            return memory.getLong(offset);
        }

        @Override
        public void putLong(final long offset, final long value)
        {
            memory.putLong(offset, value);
        }

        @Override
        public void free(final GuestMemory from)
        {
            from.free(memory);
        }
    }
}
