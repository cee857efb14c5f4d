package org.coopvm.rings.doorbell;

/**
 * How long a waiter that ran out of work holds on before it sleeps for good (a guest vCPU polling,
 * then sleeping while keeping its CPU slot; a backend ring agent polling its ring before it asks to
 * be notified and parks), adapted after every idle spell as KVM adapts {@code halt_poll_ns}: a
 * wake-up that came later than the longest window means holding on was wasted, so the window drops
 * to 0 (KVM's default shrink); one that came after the window but within the longest means a longer
 * one would have caught it, so the window doubles (from {@link #GROW_START_NS}, at most the
 * longest); one the window caught leaves it as it is. A ping-pong or a stream whose wake-ups come
 * soon keeps its window; a waiter woken rarely, and an idle one, stop spinning on a CPU another
 * thread needs after one long idle spell. It starts at the longest.
 *
 * <p>Thread safety: the waiting thread only.
 */
public final class AdaptivePollWindow
{
    /** The window after a short wake-up that found it at 0, in nanoseconds (KVM's {@code halt_poll_ns_grow_start}). */
    public static final long GROW_START_NS = 10_000;

    private final long maxNs;
    private long windowNs;

    /**
     * @param maxNs the longest window; 0 never holds on.
     */
    public AdaptivePollWindow(final long maxNs)
    {
        this.maxNs = maxNs;
        this.windowNs = maxNs;
    }

    /** @return how long the next idle spell holds on, from its start, in nanoseconds. */
    public long windowNs()
    {
        return windowNs;
    }

    /**
     * The waiter has work again.
     *
     * @param idleNs how long it was idle, holding on included.
     */
    public void woke(final long idleNs)
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
