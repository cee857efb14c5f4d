package org.coopvm.balloon.guest;

import org.coopvm.rings.hypercall.Errno;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The hypervisor's reservation side for tests, with Xen's semantics: extents in order, a count
 * of those done, an extent that cannot be done ends the call. It tracks which frames are
 * populated, so a test can tell the guest never gives back a frame it does not hold nor asks
 * for one it holds. Failures are scripted: an errno for every call, or doing at most half.
 */
final class FakeReservation implements Reservation
{
    private final BitSet populated = new BitSet();
    private final List<Integer> decreaseBatches = new ArrayList<>();
    private final List<Integer> populateBatches = new ArrayList<>();
    private int errno;
    private boolean half;
    private long hostFreeFrames = Long.MAX_VALUE;

    /** @param populated frames {@code 0 .. populated - 1} are populated at boot. */
    FakeReservation(final int populated)
    {
        this.populated.set(0, populated);
    }

    @Override
    public int decrease(final int[] gpfns, final int count)
    {
        final int n = allowed(decreaseBatches, count);
        if (n < 0)
        {
            return n;
        }
        for (int i = 0; i < n; i++)
        {
            if (!populated.get(gpfns[i]))
            {
                return i;
            }
            populated.clear(gpfns[i]);
            hostFreeFrames++;
        }
        return n;
    }

    @Override
    public int populate(final int[] gpfns, final int count)
    {
        final int n = allowed(populateBatches, count);
        if (n < 0)
        {
            return n;
        }
        for (int i = 0; i < n; i++)
        {
            if (populated.get(gpfns[i]))
            {
                return i;
            }
            if (hostFreeFrames == 0)
            {
                return i == 0 ? -Errno.ENOMEM : i;
            }
            populated.set(gpfns[i]);
            hostFreeFrames--;
        }
        return n;
    }

    /**
     * Record the call.
     *
     * @return how many extents this call may do, or the scripted {@code -errno}.
     */
    private int allowed(final List<Integer> batches, final int count)
    {
        batches.add(count);
        if (errno != 0)
        {
            return -errno;
        }
        return half ? (count + 1) / 2 : count;
    }

    /** @param errno every call fails with {@code -errno}; 0 to succeed again. */
    void failWith(final int errno)
    {
        this.errno = errno;
    }

    /** @param on do at most half of each batch (rounded up). */
    void doHalf(final boolean on)
    {
        half = on;
    }

    /** @param frames frames the host can still populate. */
    void hostFreeFrames(final long frames)
    {
        hostFreeFrames = frames;
    }

    boolean isPopulated(final int gpfn)
    {
        return populated.get(gpfn);
    }

    int populatedFrames()
    {
        return populated.cardinality();
    }

    List<Integer> decreaseBatches()
    {
        return decreaseBatches;
    }

    List<Integer> populateBatches()
    {
        return populateBatches;
    }

    int calls()
    {
        return decreaseBatches.size() + populateBatches.size();
    }
}
