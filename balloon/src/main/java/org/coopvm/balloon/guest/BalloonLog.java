package org.coopvm.balloon.guest;

import org.agrona.concurrent.NanoClock;
import org.coopvm.guest.workload.Console;
import org.coopvm.guest.workload.RateLimitedLog;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The balloon's kernel log on the domain's console: one line per event, never per batch: a target
 * accepted (and how it was clamped), reached or held at the floor or the maximum (with the time it
 * took), ignored (text that is not a KiB count), stuck and given up (the guest refused: why, after
 * how many retries), frames taken back under memory pressure, a new floor, deflate under pressure
 * switched. Lines are rate-limited as Firecracker limits guest-triggered logging: at most
 * {@link #MAX_LINES_PER_WINDOW} per {@link #WINDOW_MS}; the next line after a quiet spell says how
 * many were dropped.
 *
 * <p>Thread safety: the balloon driver's thread only.
 */
final class BalloonLog
{
    /** Most lines in one window. */
    static final int MAX_LINES_PER_WINDOW = RateLimitedLog.MAX_LINES_PER_WINDOW;
    /** The window. */
    static final long WINDOW_MS = RateLimitedLog.WINDOW_MS;

    private final RateLimitedLog log;
    private BalloonStatus last;
    private long loggedOutcomeAtNs;
    private BalloonOutcome loggedOutcome = BalloonOutcome.NONE;

    /**
     * @param console the domain's console.
     * @param clock   the kernel's clock.
     * @param initial the driver's status at start.
     */
    BalloonLog(final Console console, final NanoClock clock, final BalloonStatus initial)
    {
        this.log = new RateLimitedLog(console, clock, "balloon");
        this.last = initial;
    }

    /**
     * Log what changed since the last call.
     *
     * @param now          the driver's status after a step.
     * @param rejectedText the last ignored {@code memory/target} text, printable.
     */
    void observe(final BalloonStatus now, final String rejectedText)
    {
        if (now.floorFrames() != last.floorFrames())
        {
            line("floor " + kib(now.floorFrames()) + " KiB");
        }
        if (now.deflateOnPressure() != last.deflateOnPressure())
        {
            line("deflate under memory pressure " + (now.deflateOnPressure() ? "on" : "off"));
        }
        if (now.targetsRejected() > last.targetsRejected())
        {
            line("ignored memory/target \"" + rejectedText + "\": " + words(now.lastRejection()));
        }
        if (now.targetsAccepted() > last.targetsAccepted())
        {
            line("target " + now.requestedTargetKib() + " KiB accepted, holding " + last.currentKib() + " KiB" + clampNote(now));
        }
        if (now.pressureFramesReleased() > last.pressureFramesReleased())
        {
            line("memory pressure: took back " + kib((int)(now.pressureFramesReleased() - last.pressureFramesReleased())) +
                " KiB, holding " + now.currentKib() + " KiB (pressure deflates since boot: " + now.pressureDeflates() + ")");
        }
        if (now.retries() > 0 && last.retries() == 0 && now.outcome() == BalloonOutcome.IN_PROGRESS)
        {
            line("no progress at " + now.currentKib() + " KiB towards " + now.targetKib() + " KiB: " + failure(now) +
                "; retrying with backoff");
        }
        outcome(now);
        last = now;
    }

    /**
     * Log a line (rate-limited).
     *
     * @param text the line without the {@code balloon: } prefix.
     */
    void line(final String text)
    {
        log.line(text);
    }

    private void outcome(final BalloonStatus now)
    {
        final BalloonOutcome outcome = now.outcome();
        if (outcome == BalloonOutcome.NONE || outcome == BalloonOutcome.IN_PROGRESS ||
            outcome == BalloonOutcome.DEFLATED_UNDER_PRESSURE ||
            outcome == loggedOutcome && now.targetChangedAtNs() + now.timeTakenNs() == loggedOutcomeAtNs)
        {
            return;
        }
        loggedOutcome = outcome;
        loggedOutcomeAtNs = now.targetChangedAtNs() + now.timeTakenNs();
        final String after = " after " + TimeUnit.NANOSECONDS.toMillis(now.timeTakenNs()) + " ms";
        switch (outcome)
        {
            case REACHED -> line("reached " + now.currentKib() + " KiB" + after);
            case BELOW_FLOOR -> line("holding the floor " + now.currentKib() + " KiB (target " + now.requestedTargetKib() +
                " KiB is below it)" + after);
            case ABOVE_MAXMEM -> line("holding the maximum " + now.currentKib() + " KiB (target " + now.requestedTargetKib() +
                " KiB is above it)" + after);
            default -> line("gave up at " + now.currentKib() + " KiB, target " + now.targetKib() + " KiB: " + failure(now) +
                " after " + now.retries() + " retries; waiting for a new target");
        }
    }

    private static String clampNote(final BalloonStatus status)
    {
        return switch (status.clamp())
        {
            case NONE -> "";
            case BELOW_FLOOR -> "; below the floor, going to " + status.targetKib() + " KiB";
            case ABOVE_MAXMEM -> "; above the maximum, going to " + status.targetKib() + " KiB";
        };
    }

    private static String failure(final BalloonStatus status)
    {
        return words(status.lastFailure()) + (status.lastErrno() != 0 ? " (" + status.lastErrno() + ")" : "");
    }

    private static String words(final Enum<?> constant)
    {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static long kib(final int frames)
    {
        return (long)frames * BalloonStatus.KIB_PER_FRAME;
    }
}
