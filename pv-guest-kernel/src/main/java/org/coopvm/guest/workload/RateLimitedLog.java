package org.coopvm.guest.workload;

import org.agrona.concurrent.NanoClock;

import java.util.concurrent.TimeUnit;

/**
 * A guest component's lines on the domain's console, {@code <name>: <text>}, rate-limited as
 * Firecracker limits guest-triggered logging: at most {@link #MAX_LINES_PER_WINDOW} per
 * {@link #WINDOW_MS}; the first line after a full window says how many were dropped.
 *
 * <p>Thread safety: synchronised; any thread.
 */
public final class RateLimitedLog
{
    /** Most lines in one window. */
    public static final int MAX_LINES_PER_WINDOW = 10;
    /** The window. */
    public static final long WINDOW_MS = 10_000;

    private final Console console;
    private final NanoClock clock;
    private final String name;
    private long windowStartNs;
    private int linesInWindow;
    private long dropped;

    /**
     * @param console the domain's console.
     * @param clock   the kernel's clock.
     * @param name    the component, the prefix of its lines (e.g. {@code balloon}).
     */
    public RateLimitedLog(final Console console, final NanoClock clock, final String name)
    {
        this.console = console;
        this.clock = clock;
        this.name = name;
        this.windowStartNs = clock.nanoTime();
    }

    /** @param text one line, without the prefix. */
    public synchronized void line(final String text)
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
        final long droppedBefore = dropped;
        dropped = 0;
        console.log(name + ": " + text + (droppedBefore > 0 ? " (" + droppedBefore + " " + name + " lines dropped before)" : ""));
    }
}
