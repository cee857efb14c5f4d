package org.coopvm.guest.mem;

import java.util.Arrays;

/**
 * A growable list of frame ranges ({@code first}, {@code length}), the allocator's out
 * parameter: the blocks one allocation or one balloon operation took. Two int arrays, no object
 * per range.
 *
 * <p>Thread safety: none; one thread fills it, then hands it over.
 */
final class BlockList
{
    private int[] firsts = new int[4];
    private int[] lengths = new int[4];
    private int size;

    void add(final int first, final int length)
    {
        if (size == firsts.length)
        {
            firsts = Arrays.copyOf(firsts, size * 2);
            lengths = Arrays.copyOf(lengths, size * 2);
        }
        firsts[size] = first;
        lengths[size] = length;
        size++;
    }

    /** Grow the last range by {@code length} frames. */
    void extendLast(final int length)
    {
        lengths[size - 1] += length;
    }

    int size()
    {
        return size;
    }

    int first(final int index)
    {
        return firsts[index];
    }

    int length(final int index)
    {
        return lengths[index];
    }

    void clear()
    {
        size = 0;
    }
}
