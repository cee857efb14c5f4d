package org.coopvm.guest;

/**
 * How long one vCPU polls for work before it gives its CPU slot back, adapted after every idle
 * spell as KVM adapts {@code halt_poll_ns}: a wake-up that came later than the longest poll
 * ({@link KernelConfig#idlePollNs()}) means the poll was wasted, so the window drops to 0 (KVM's
 * default shrink); one that came after the window but within the longest poll means a longer poll
 * would have caught it, so the window doubles (from {@link #GROW_START_NS}, at most the longest
 * poll); one the window caught leaves it as it is. A ping-pong whose answers come within tens of
 * microseconds keeps polling; a stream whose wake-ups are further apart, and an idle guest, stop
 * burning a CPU that the other end needs. It starts at 0: polling is earned by a short wake-up.
 *
 * <p>Thread safety: the vCPU's own thread only.
 */
final class HaltPollWindow
{
    /** The window after the first short wake-up, in nanoseconds (KVM's {@code halt_poll_ns_grow_start}). */
    static final long GROW_START_NS = 10_000;

    private final long maxNs;
    private long windowNs;

    /**
     * @param maxNs the longest poll; 0 never polls.
     */
    HaltPollWindow(final long maxNs)
    {
        this.maxNs = maxNs;
    }

    /** @return how long the next idle spell polls before it sleeps, in nanoseconds. */
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
