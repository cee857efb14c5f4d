package org.coopvm.guest;

/**
 * How long one vCPU that ran out of work holds on to its CPU slot (spinning for the idle poll, or
 * sleeping for the idle slot keep) before it gives the slot back, adapted after every idle spell
 * as KVM adapts {@code halt_poll_ns}: a wake-up that came later than the longest window means the
 * wait was wasted, so the window drops to 0 (KVM's default shrink); one that came after the window
 * but within the longest means a longer one would have caught it, so the window doubles (from
 * {@link #GROW_START_NS}, at most the longest); one the window caught leaves it as it is. A
 * ping-pong or a stream whose wake-ups come soon keeps its window; a vCPU woken rarely, and an
 * idle guest, stop holding a slot (and stop spinning on a CPU another thread needs) after one long
 * idle spell. It starts at the longest.
 *
 * <p>Thread safety: the vCPU's own thread only.
 */
final class HaltPollWindow
{
    /** The window after a short wake-up that found it at 0, in nanoseconds (KVM's {@code halt_poll_ns_grow_start}). */
    static final long GROW_START_NS = 10_000;

    private final long maxNs;
    private long windowNs;

    /**
     * @param maxNs the longest window; 0 never holds on.
     */
    HaltPollWindow(final long maxNs)
    {
        this.maxNs = maxNs;
        this.windowNs = maxNs;
    }

    /** @return how long the next idle spell holds on to the slot, from its start, in nanoseconds. */
    long windowNs()
    {
        return windowNs;
    }

    /**
     * The vCPU has work again.
     *
     * @param idleNs how long it was idle, its poll included.
     */
    void woke(final long idleNs)
    {
        if (idleNs <= windowNs)
        {
            return;
        }
        if (idleNs > maxNs)
        {
            windowNs = 0;
        }
        else
        {
            windowNs = Math.min(maxNs, Math.max(GROW_START_NS, windowNs * 2));
        }
    }
}
