package org.coopvm.hypervisor.usage;

import java.lang.foreign.MemorySegment;

/**
 * What the host's own books say about one domain's memory, for its usage page entry, and where
 * its guest publishes balloon stats.
 *
 * <p>Thread safety: immutable (the segment is shared memory the guest writes; only the usage
 * publisher reads it).
 *
 * @param domid        the domain.
 * @param flags        {@code UsageEntryDescriptor.FLAG_*} bits.
 * @param currentKib   memory the domain holds now.
 * @param targetKib    its balloon target, 0 when unknown.
 * @param minKib       its floor, 0 when none.
 * @param maxKib       its maxmem: also the bound the guest's stats are checked against.
 * @param balloonStats payload of its BALLOON_STATS region, {@code null} when it has none; the same
 *                     segment object for the domain's whole life (the publisher keeps one reader per segment).
 */
public record DomainMemory(int domid, int flags, long currentKib, long targetKib, long minKib, long maxKib, MemorySegment balloonStats)
{
}
