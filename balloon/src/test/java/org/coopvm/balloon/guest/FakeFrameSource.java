package org.coopvm.balloon.guest;

import java.util.BitSet;

/**
 * A page allocator for tests: owns a set of frames, all free; {@link #offline} gives the highest
 * free frames first and keeps {@code reserveFrames} (the "never into OOM" rule); a frame given
 * back that it already owns fails the test.
 */
final class FakeFrameSource implements FrameSource
{
    private final BitSet owned = new BitSet();
    private int reserveFrames;
    private int offlineCalls;

    /**
     * @param maxFrames     the guest's frame numbers.
     * @param populated     frames {@code 0 .. populated - 1} are the allocator's at boot.
     * @param reserveFrames frames it never gives out.
     */
    FakeFrameSource(final int maxFrames, final int populated, final int reserveFrames)
    {
        owned.set(0, Math.min(populated, maxFrames));
        this.reserveFrames = reserveFrames;
    }

    @Override
    public int offline(final int[] gpfns, final int maxFrames)
    {
        offlineCalls++;
        final int spare = Math.max(0, owned.cardinality() - reserveFrames);
        final int n = Math.min(maxFrames, spare);
        int frame = owned.length();
        for (int i = 0; i < n; i++)
        {
            frame = owned.previousSetBit(frame - 1);
            owned.clear(frame);
            gpfns[i] = frame;
        }
        return n;
    }

    @Override
    public void online(final int[] gpfns, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            if (owned.get(gpfns[i]))
            {
                throw new AssertionError("frame " + gpfns[i] + " given back twice");
            }
            owned.set(gpfns[i]);
        }
    }

    boolean owns(final int gpfn)
    {
        return owned.get(gpfn);
    }

    int frames()
    {
        return owned.cardinality();
    }

    int offlineCalls()
    {
        return offlineCalls;
    }

    void reserveFrames(final int frames)
    {
        reserveFrames = frames;
    }
}
