package org.coopvm.balloon.guest;

import java.util.BitSet;

/**
 * The frames the guest has given back to the host: a stack of frame numbers (the most recently
 * ballooned are taken back first, so a block the allocator gave out together comes back
 * together) and a bitmap for membership. Linux threads its ballooned pages on a list through
 * {@code struct page}; this is the compact equivalent: 4 bytes per frame plus one bit.
 *
 * <p>Thread safety: the balloon driver's thread only.
 */
public final class BalloonedFrames
{
    private final int[] stack;
    private final BitSet members;
    private int size;

    /** @param maxFrames the guest's frame numbers: {@code 0 .. maxFrames - 1}. */
    public BalloonedFrames(final int maxFrames)
    {
        if (maxFrames < 0)
        {
            throw new IllegalArgumentException("maxFrames must be >= 0: " + maxFrames);
        }
        this.stack = new int[maxFrames];
        this.members = new BitSet(maxFrames);
    }

    /**
     * @param gpfn a frame the guest no longer holds.
     * @throws IllegalArgumentException when the frame is out of range or already ballooned.
     */
    public void push(final int gpfn)
    {
        if (gpfn < 0 || gpfn >= stack.length || members.get(gpfn))
        {
            throw new IllegalArgumentException("frame " + gpfn + " is out of range or already ballooned");
        }
        members.set(gpfn);
        stack[size++] = gpfn;
    }

    /**
     * Copy the top frames, most recently ballooned first, without removing them.
     *
     * @param into  where to write them, from index 0.
     * @param count most frames to copy.
     * @return frames copied: {@code min(count, size())}.
     */
    public int peek(final int[] into, final int count)
    {
        final int n = Math.min(count, size);
        for (int i = 0; i < n; i++)
        {
            into[i] = stack[size - 1 - i];
        }
        return n;
    }

    /**
     * Remove the top frames: the first {@code count} that {@link #peek(int[], int)} copied.
     *
     * @param count how many, at most {@link #size()}.
     */
    public void drop(final int count)
    {
        if (count < 0 || count > size)
        {
            throw new IllegalArgumentException("cannot drop " + count + " of " + size + " frames");
        }
        for (int i = 0; i < count; i++)
        {
            members.clear(stack[--size]);
        }
    }

    /**
     * @param gpfn a frame number.
     * @return whether it is ballooned.
     */
    public boolean contains(final int gpfn)
    {
        return gpfn >= 0 && members.get(gpfn);
    }

    /** @return frames ballooned. */
    public int size()
    {
        return size;
    }

    /** @return the guest's frame numbers. */
    public int maxFrames()
    {
        return stack.length;
    }
}
