package org.coopvm.balloon.guest;

import org.coopvm.guest.mem.FrameRanges;
import org.coopvm.guest.mem.GuestMemory;

import java.util.Arrays;

/**
 * The {@link FrameSource} of a real guest: the kernel's buddy allocator ({@link GuestMemory}).
 * Inflating takes free frames offline, largest blocks first and never below the guest's declared
 * floor ({@link GuestMemory#offline(int)}); deflating brings the populated frames back online,
 * one call per run of adjacent frames.
 *
 * <p>Thread safety: the balloon driver's thread only (the allocator locks for itself).
 */
public final class GuestMemoryFrames implements FrameSource
{
    private final GuestMemory memory;
    private int[] sorted = new int[BalloonConfig.MAX_BATCH_FRAMES];

    /** @param memory the guest's memory. */
    public GuestMemoryFrames(final GuestMemory memory)
    {
        this.memory = memory;
    }

    /**
     * @param memory the guest's memory, as the kernel booted it.
     * @return the frames that are offline now (at boot: those above the domain's {@code memory}),
     *         ascending: they start ballooned.
     */
    public static int[] offlineAtBoot(final GuestMemory memory)
    {
        final FrameRanges ranges = memory.offlineFrames(memory.maxFrames());
        final int[] frames = new int[(int)ranges.frames()];
        final int n = copy(ranges, frames);
        Arrays.sort(frames, 0, n);
        return frames;
    }

    @Override
    public int offline(final int[] gpfns, final int maxFrames)
    {
        return copy(memory.offline(Math.min(maxFrames, gpfns.length)), gpfns);
    }

    @Override
    public void online(final int[] gpfns, final int count)
    {
        if (sorted.length < count)
        {
            sorted = new int[count];
        }
        System.arraycopy(gpfns, 0, sorted, 0, count);
        Arrays.sort(sorted, 0, count);
        int start = 0;
        for (int i = 1; i <= count; i++)
        {
            if (i == count || sorted[i] != sorted[i - 1] + 1)
            {
                memory.online(sorted[start], i - start);
                start = i;
            }
        }
    }

    private static int copy(final FrameRanges ranges, final int[] into)
    {
        int n = 0;
        for (int r = 0; r < ranges.count(); r++)
        {
            for (int frame = ranges.first(r), end = frame + ranges.length(r); frame < end; frame++)
            {
                into[n++] = frame;
            }
        }
        return n;
    }
}
