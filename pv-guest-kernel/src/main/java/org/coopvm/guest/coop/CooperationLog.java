package org.coopvm.guest.coop;

import org.agrona.concurrent.NanoClock;
import org.coopvm.guest.hypercall.HypercallAbortedException;
import org.coopvm.guest.workload.Console;

import java.util.concurrent.TimeUnit;

/**
 * The cooperation policy's lines on the domain's console, prefixed {@code cooperation: } and
 * rate-limited as guest-triggered logging should be: at most {@link #MAX_LINES_PER_WINDOW} per
 * {@link #WINDOW_MS}; the first line after a full window says how many were dropped. A console
 * whose host is gone drops the line silently.
 *
 * <p>Thread safety: synchronised; any thread.
 */
final class CooperationLog
{
    /** Most lines in one window. */
    static final int MAX_LINES_PER_WINDOW = 10;
    /** The window. */
    static final long WINDOW_MS = 10_000;

    private static final String PREFIX = "cooperation: ";

    private final Console console;
    private final NanoClock clock;
    private long windowStartNs;
    private int linesInWindow;
    private long dropped;

    CooperationLog(final Console console, final NanoClock clock)
    {
        this.console = console;
        this.clock = clock;
        this.windowStartNs = clock.nanoTime();
    }

    synchronized void line(final String text)
    {
        final long nowNs = clock.nanoTime();
        if (nowNs - windowStartNs >= TimeUnit.MILLISECONDS.toNanos(WINDOW_MS))
        {
            windowStartNs = nowNs;
            linesInWindow = 0;
        }
        if (linesInWindow >= MAX_LINES_PER_WINDOW)
        {
            dropped++;
            return;
        }
        linesInWindow++;
        final String note = dropped > 0 ? " (" + dropped + " earlier lines dropped)" : "";
        dropped = 0;
        try
        {
            console.log(PREFIX + text + note);
        }
        catch (final HypercallAbortedException ignored)
        {
            // the host is gone or the kernel stops: nobody reads the console any more
        }
    }
}
