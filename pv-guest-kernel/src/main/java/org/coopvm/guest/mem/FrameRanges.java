package org.coopvm.guest.mem;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Ranges of guest frames, sorted, disjoint and not adjacent (adjacent blocks are merged into one
 * range): what the balloon driver gets from {@link GuestMemory#offline} and
 * {@link GuestMemory#offlineFrames}, so it can ask the hypervisor to punch or populate whole
 * ranges, or list the frames one by one ({@link #forEachFrame}) as Linux's driver does.
 *
 * <p>Thread safety: immutable.
 */
public final class FrameRanges
{
    /** No frames. */
    public static final FrameRanges EMPTY = new FrameRanges(new int[0], new int[0]);

    private final int[] firsts;
    private final int[] lengths;
    private final long frames;

    private FrameRanges(final int[] firsts, final int[] lengths)
    {
        this.firsts = firsts;
        this.lengths = lengths;
        long sum = 0;
        for (final int length : lengths)
        {
            sum += length;
        }
        this.frames = sum;
    }

    /**
     * @param first  the first frame.
     * @param length frames, at least 0.
     * @return one range (or {@link #EMPTY} when {@code length} is 0).
     */
    public static FrameRanges of(final int first, final int length)
    {
        if (first < 0 || length < 0 || first > Integer.MAX_VALUE - length)
        {
            throw new IllegalArgumentException("bad frame range " + first + "+" + length);
        }
        return length == 0 ? EMPTY : new FrameRanges(new int[] {first}, new int[] {length});
    }

    /** Sort disjoint blocks by frame and merge the adjacent ones. */
    static FrameRanges of(final BlockList blocks)
    {
        final long[] packed = new long[blocks.size()];
        for (int i = 0; i < packed.length; i++)
        {
            packed[i] = (long)blocks.first(i) << 32 | blocks.length(i);
        }
        Arrays.sort(packed);
        final BlockList merged = new BlockList();
        for (final long block : packed)
        {
            final int first = (int)(block >>> 32);
            final int length = (int)block;
            final int last = merged.size() - 1;
            if (last >= 0 && merged.first(last) + merged.length(last) == first)
            {
                merged.extendLast(length);
            }
            else
            {
                merged.add(first, length);
            }
        }
        return copyOf(merged);
    }

    private static FrameRanges copyOf(final BlockList list)
    {
        if (list.size() == 0)
        {
            return EMPTY;
        }
        final int[] firsts = new int[list.size()];
        final int[] lengths = new int[list.size()];
        for (int i = 0; i < firsts.length; i++)
        {
            firsts[i] = list.first(i);
            lengths[i] = list.length(i);
        }
        return new FrameRanges(firsts, lengths);
    }

    /** @return how many ranges. */
    public int count()
    {
        return firsts.length;
    }

    /**
     * @param index a range, {@code 0 .. count() - 1}.
     * @return its first frame.
     */
    public int first(final int index)
    {
        return firsts[index];
    }

    /**
     * @param index a range, {@code 0 .. count() - 1}.
     * @return its length in frames.
     */
    public int length(final int index)
    {
        return lengths[index];
    }

    /** @return frames in all ranges. */
    public long frames()
    {
        return frames;
    }

    /** @return whether there are no frames. */
    public boolean isEmpty()
    {
        return frames == 0;
    }

    /** @param action called with every frame, in ascending order. */
    public void forEachFrame(final IntConsumer action)
    {
        for (int i = 0; i < firsts.length; i++)
        {
            for (int frame = firsts[i], end = firsts[i] + lengths[i]; frame < end; frame++)
            {
                action.accept(frame);
            }
        }
    }

    /**
     * The first frames, in ascending order: what to bring online when the hypervisor populated
     * only part of a batch (Xen returns how many extents it did, in order).
     *
     * @param count frames wanted.
     * @return the first {@code min(count, frames())} frames.
     */
    public FrameRanges firstFrames(final long count)
    {
        final BlockList prefix = new BlockList();
        long remaining = count;
        for (int i = 0; i < firsts.length && remaining > 0; i++)
        {
            final int length = (int)Math.min(lengths[i], remaining);
            prefix.add(firsts[i], length);
            remaining -= length;
        }
        return copyOf(prefix);
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder("FrameRanges[");
        for (int i = 0; i < firsts.length; i++)
        {
            text.append(i == 0 ? "" : ", ").append(firsts[i]).append('+').append(lengths[i]);
        }
        return text.append(']').toString();
    }
}
