package org.coopvm.balloon.host;

/**
 * The latest reservation calls of one domain as the tracker noted them (the hypervisor tells it
 * once per {@code memory_op} call): when its populated pages last changed and to what, and the
 * last call that failed.
 *
 * @param pages       populated pages after the last call that changed them.
 * @param changedAtNs when that call was made (tracker clock); meaningful when {@code changed}.
 * @param changed     whether any call changed the pages.
 * @param errno       the last failed call's errno (positive), 0 when none failed.
 * @param failedAtNs  when it failed (tracker clock); meaningful when {@code errno != 0}.
 *
 * <p>Thread safety: immutable; replaced whole, so a reader sees one call's figures.
 */
record ReservationMark(long pages, long changedAtNs, boolean changed, int errno, long failedAtNs)
{
    /**
     * @param before the previous mark, or null.
     * @param pages  populated pages after the call.
     * @param result the call's result: extents done, or minus an errno.
     * @param nowNs  the tracker's clock.
     * @return the mark after the call.
     */
    static ReservationMark after(final ReservationMark before, final long pages, final long result, final long nowNs)
    {
        final ReservationMark old = before == null ? new ReservationMark(pages, 0, false, 0, 0) : before;
        if (result > 0)
        {
            return new ReservationMark(pages, nowNs, true, old.errno, old.failedAtNs);
        }
        if (result < 0 && result >= -Integer.MAX_VALUE)
        {
            return new ReservationMark(old.pages, old.changedAtNs, old.changed, (int)-result, nowNs);
        }
        return old;
    }

    /**
     * @param sinceNs a time on the tracker's clock.
     * @return whether the pages changed at or after it.
     */
    boolean changedSince(final long sinceNs)
    {
        return changed && changedAtNs - sinceNs >= 0;
    }

    /**
     * @param wanted  an errno (positive).
     * @param sinceNs a time on the tracker's clock.
     * @return whether the last failure, at or after that time, was that errno.
     */
    boolean failedSince(final int wanted, final long sinceNs)
    {
        return errno == wanted && failedAtNs - sinceNs >= 0;
    }
}
