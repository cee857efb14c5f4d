package org.coopvm.balloon.guest;

/**
 * What the balloon driver reports: a consistent snapshot for the convergence report and the
 * balloon stats, in the spirit of Linux's {@code balloon_stats} and its sysfs files
 * ({@code current_kb}, {@code target_kb}, {@code retry_count}, {@code schedule_delay}).
 *
 * <p>Thread safety: immutable; {@link BalloonDriver#status()} may be called from any thread.
 *
 * @param currentFrames          frames the guest holds (populated): {@code maxFrames - balloonedFrames}.
 * @param targetFrames           frames the driver is moving towards: the request, clamped.
 * @param requestedTargetKib     the last accepted {@code memory/target}, KiB as written.
 * @param floorFrames            frames the driver never inflates below.
 * @param maxFrames              the guest's frame numbers ({@code memory/static-max}).
 * @param balloonedFrames        frames given back to the host and not yet taken again.
 * @param clamp                  whether {@code targetFrames} is the request or a clamped one.
 * @param outcome                how the pursuit of the latest target stands or ended.
 * @param lastFailure            why the last failed step failed, {@code NONE} since the target changed.
 * @param lastErrno              the hypercall's negative errno for {@code lastFailure}, or 0.
 * @param retries                retries scheduled since the last progress (Linux's {@code retry_count}).
 * @param targetChangedAtNs      when the latest target was written (driver clock).
 * @param timeTakenNs            from the target change to the outcome, or -1 while in progress.
 * @param deflateOnPressure      whether deflate under pressure is negotiated.
 * @param pressureDeflates       memory-pressure signals that made the guest take frames back.
 * @param pressureFramesReleased frames taken back under pressure.
 * @param pressureSignalsIgnored pressure signals while deflate under pressure was not negotiated.
 * @param framesInflated         frames given to the host since start.
 * @param framesDeflated         frames taken back from the host since start.
 * @param targetsAccepted        target writes the driver acted on.
 * @param targetsRejected        target writes ignored because they were not a KiB count.
 * @param lastRejection          why the last ignored target write was ignored.
 */
public record BalloonStatus(
    int currentFrames,
    int targetFrames,
    long requestedTargetKib,
    int floorFrames,
    int maxFrames,
    int balloonedFrames,
    TargetClamp clamp,
    BalloonOutcome outcome,
    BalloonFailure lastFailure,
    int lastErrno,
    int retries,
    long targetChangedAtNs,
    long timeTakenNs,
    boolean deflateOnPressure,
    long pressureDeflates,
    long pressureFramesReleased,
    long pressureSignalsIgnored,
    long framesInflated,
    long framesDeflated,
    long targetsAccepted,
    long targetsRejected,
    KibRejection lastRejection)
{
    /** KiB per 4 KiB frame. */
    public static final int KIB_PER_FRAME = 4;

    /** @return {@link #currentFrames()} in KiB, the unit of {@code memory/target}. */
    public long currentKib()
    {
        return (long)currentFrames * KIB_PER_FRAME;
    }

    /** @return {@link #targetFrames()} in KiB. */
    public long targetKib()
    {
        return (long)targetFrames * KIB_PER_FRAME;
    }

    /** @return whether the driver holds its target and has nothing to do. */
    public boolean converged()
    {
        return currentFrames == targetFrames && outcome != BalloonOutcome.IN_PROGRESS;
    }

    /**
     * @param rejected    see {@link #targetsRejected()}.
     * @param rejection   see {@link #lastRejection()}.
     * @param ignored     see {@link #pressureSignalsIgnored()}.
     * @param negotiated  see {@link #deflateOnPressure()}.
     * @return this snapshot with the inputs other threads write.
     */
    BalloonStatus withInputs(final long rejected, final KibRejection rejection, final long ignored, final boolean negotiated)
    {
        return new BalloonStatus(currentFrames, targetFrames, requestedTargetKib, floorFrames, maxFrames, balloonedFrames,
            clamp, outcome, lastFailure, lastErrno, retries, targetChangedAtNs, timeTakenNs, negotiated,
            pressureDeflates, pressureFramesReleased, ignored, framesInflated, framesDeflated, targetsAccepted, rejected,
            rejection);
    }
}
