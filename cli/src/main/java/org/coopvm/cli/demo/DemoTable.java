package org.coopvm.cli.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders the demo's live view: a screen in the style of {@code xentop} (a header line with the
 * host's figures, then one row per guest, cut to the terminal's width) for a terminal, or plain
 * lines (one per guest, each stamped with the elapsed time) when the output is a file or a pipe.
 * Stateless; any thread.
 */
public final class DemoTable
{
    /** Terminal escape: cursor home, then erase to the end of the screen. */
    public static final String CLEAR_SCREEN = "\033[H\033[J";
    private static final String ROW = "%10s %4s %10s %12s %10s %8s %-14s %s";
    private static final double KIB_PER_MIB = 1024.0;
    private static final int MIN_WIDTH = 60;

    private DemoTable()
    {
    }

    /**
     * @param frame the figures.
     * @param width the terminal's columns; longer lines are cut.
     * @return the screen's lines (without the clear-screen escape).
     */
    public static List<String> screen(final DemoFrame frame, final int width)
    {
        final int columns = Math.max(MIN_WIDTH, width);
        final List<String> lines = new ArrayList<>();
        lines.add(cut(header(frame), columns));
        lines.add("");
        lines.add(cut(String.format(Locale.ROOT, ROW, "NAME", "ID", "MEM(MiB)", "TARGET(MiB)", "FREE(MiB)", "HIT(%)",
            "LAST CHANGE", "LAST POLICY DECISION"), columns));
        for (final DemoRow row : frame.rows())
        {
            lines.add(cut(String.format(Locale.ROOT, ROW, row.name(), row.domid(), mib(row.currentKib()), target(row),
                free(row), hit(row), dash(row.lastChange()), dash(row.lastDecision())), columns));
        }
        return lines;
    }

    /**
     * @param frame the figures.
     * @return one line per guest, for output that is not a terminal: nothing redrawn, nothing cut.
     */
    public static List<String> plain(final DemoFrame frame)
    {
        final String stamp = String.format(Locale.ROOT, "[%3d s]", frame.elapsedMs() / 1000);
        final List<String> lines = new ArrayList<>();
        lines.add(stamp + " host: " + hostFigures(frame));
        for (final DemoRow row : frame.rows())
        {
            lines.add(String.format(Locale.ROOT, "%s %s: mem %s MiB, target %s, free %s, hit ratio %s, last change %s, " +
                "last decision: %s", stamp, row.name(), mib(row.currentKib()), unit(target(row), " MiB"), unit(free(row), " MiB"),
                unit(hit(row), "%"), dash(row.lastChange()), dash(row.lastDecision())));
        }
        return lines;
    }

    private static String header(final DemoFrame frame)
    {
        return String.format(Locale.ROOT, "coop demo - %s of %s - %s", clock(frame.elapsedMs()), clock(frame.durationMs()),
            hostFigures(frame));
    }

    private static String hostFigures(final DemoFrame frame)
    {
        final double freePercent = frame.poolKib() == 0 ? 0 : 100.0 * frame.poolFreeKib() / frame.poolKib();
        return String.format(Locale.ROOT, "policy %s, pool %s MiB, %s MiB free (%.1f%%), guests resident %s MiB", frame.policy(),
            mib(frame.poolKib()), mib(frame.poolFreeKib()), freePercent, mib(frame.residentBytes() / 1024));
    }

    private static String clock(final long ms)
    {
        final long seconds = ms / 1000;
        return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    private static String mib(final long kib)
    {
        return String.format(Locale.ROOT, "%.1f", kib / KIB_PER_MIB);
    }

    private static String target(final DemoRow row)
    {
        return row.targetKib() > 0 ? mib(row.targetKib()) : "-";
    }

    private static String free(final DemoRow row)
    {
        return row.freeKib() >= 0 ? mib(row.freeKib()) : "-";
    }

    private static String hit(final DemoRow row)
    {
        return Double.isNaN(row.hitRatio()) ? "-" : String.format(Locale.ROOT, "%.1f", 100 * row.hitRatio());
    }

    private static String unit(final String value, final String unit)
    {
        return "-".equals(value) ? value : value + unit;
    }

    private static String dash(final String text)
    {
        return text.isEmpty() ? "-" : text;
    }

    private static String cut(final String line, final int columns)
    {
        return line.length() <= columns ? line : line.substring(0, columns - 1) + "~";
    }
}
