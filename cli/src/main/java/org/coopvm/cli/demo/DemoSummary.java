package org.coopvm.cli.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * The lines {@code coop demo} prints at the end: how long it ran under which policy, memory moved
 * each way (from the trace), the balloon's decisions and how their changes converged (from the
 * trace's reports), each guest's memory from start to end, the cache's hit ratio at start and
 * end, and the guests' resident memory at start, peak and end. Stateless.
 */
final class DemoSummary
{
    private static final double KIB_PER_MIB = 1024.0;

    private DemoSummary()
    {
    }

    /**
     * @param policy      the policy text.
     * @param interrupted whether the demo was stopped before its end (Ctrl-C, {@code coop host stop}).
     * @param history  what the frames showed.
     * @param moved    memory moved, from the trace.
     * @param balloon  decisions and convergence, from the trace.
     * @return the summary's lines.
     */
    static List<String> lines(final String policy, final boolean interrupted, final DemoHistory history, final DemoTrace.MemoryMoved moved,
        final DemoTrace.Balloon balloon)
    {
        final List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add(String.format(Locale.ROOT, "Summary after %d s%s under %s:", history.elapsedMs() / 1000,
            interrupted ? " (interrupted)" : "", policy));
        lines.add(String.format(Locale.ROOT, "  memory moved: %s MiB given back to the host (%d decrease_reservation calls), " +
            "%s MiB handed to guests (%d populate_physmap calls)", mib(moved.givenBackPages() * 4), moved.decreaseCalls(),
            mib(moved.takenPages() * 4), moved.populateCalls()));
        lines.add("  balloon: " + balloon.describe());
        lines.add("  guests: " + guests(history));
        lines.add("  cache hit ratio: " + hitRatio(history));
        lines.add(String.format(Locale.ROOT, "  guests' resident memory (their memory files, measured): %s MiB at start, %s MiB " +
            "at peak, %s MiB at end; host pool free: %s MiB at start, %s MiB at end", mib(history.firstResident() / 1024),
            mib(history.peakResident() / 1024), mib(history.lastResident() / 1024), mib(history.firstPoolFreeKib()),
            mib(history.lastPoolFreeKib())));
        return lines;
    }

    private static String guests(final DemoHistory history)
    {
        final StringJoiner joined = new StringJoiner(", ");
        for (final DemoHistory.Guest guest : history.guests())
        {
            joined.add(guest.name() + " " + mib(guest.firstKib()) + " -> " + mib(guest.lastKib()) + " MiB");
        }
        return joined.toString();
    }

    private static String hitRatio(final DemoHistory history)
    {
        final StringJoiner joined = new StringJoiner("; ");
        for (final DemoHistory.Guest guest : history.guests())
        {
            if (!Double.isNaN(guest.firstHit()))
            {
                joined.add(String.format(Locale.ROOT, "%s %.1f%% when first published, %.1f%% at the end", guest.name(),
                    100 * guest.firstHit(), 100 * guest.lastHit()));
            }
        }
        return joined.length() == 0 ? "not published" : joined.toString();
    }

    private static String mib(final long kib)
    {
        return String.format(Locale.ROOT, "%.1f", kib / KIB_PER_MIB);
    }
}
