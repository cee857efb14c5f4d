package org.coopvm.rings.console;

import org.agrona.concurrent.AtomicBuffer;

/**
 * What both ends of one console ring half share: the page, where the half's data and indices
 * are, and the count of corrupt peer indices.
 *
 * <p>Thread safety: one thread at a time (the subclass's rules).
 */
abstract class ConsoleRingEnd
{
    AtomicBuffer page;
    int dataOffset;
    int size;
    int consOffset;
    int prodOffset;
    long corruptions;

    final void wrapHalf(final AtomicBuffer page, final ConsoleRingHalf half)
    {
        if (page.capacity() < ConsoleRingDescriptor.INTERFACE_LENGTH)
        {
            throw new IllegalArgumentException("a console page needs " + ConsoleRingDescriptor.INTERFACE_LENGTH +
                " bytes, got " + page.capacity());
        }
        this.page = page;
        this.dataOffset = half.dataOffset();
        this.size = half.size();
        this.consOffset = half.consOffset();
        this.prodOffset = half.prodOffset();
        this.corruptions = 0;
    }

    /** @return times the peer's index was corrupt. */
    public final long corruptions()
    {
        return corruptions;
    }
}
