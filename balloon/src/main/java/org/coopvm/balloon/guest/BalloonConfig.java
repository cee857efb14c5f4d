package org.coopvm.balloon.guest;

/**
 * Balloon driver settings, validated once. The defaults are Linux's ({@code balloon_init}:
 * {@code schedule_delay} 1 s, {@code max_schedule_delay} 32 s, {@code max_retry_count} 4; a
 * batch is the 512 frame numbers that fit in one 4 KiB page) and virtio's deflate-on-OOM step
 * ({@code VIRTIO_BALLOON_OOM_NR_PAGES}, 256 pages, Firecracker's {@code deflate_on_oom}).
 *
 * <p>Thread safety: immutable.
 *
 * @param batchFrames          most frames one step moves (one hypercall), 1..512.
 * @param initialRetryDelayMs  the wait after the first failed step; it doubles after each
 *                             further failure.
 * @param maxRetryDelayMs      the longest wait between retries.
 * @param maxRetries           retries after which the driver gives up until the target changes;
 *                             0 retries forever (Linux's {@code RETRY_UNLIMITED}).
 * @param pressureDeflateFrames frames given back per memory-pressure signal (one hypercall), 1..512.
 * @param guestNeedKib         what the guest declares it needs: the driver never inflates below
 *                             it (the floor is this or the host's minimum, whichever is higher).
 * @param deflateOnPressure    whether deflate under pressure is on before the host says
 *                             otherwise through {@code memory/deflate-on-pressure}.
 */
public record BalloonConfig(
    int batchFrames,
    long initialRetryDelayMs,
    long maxRetryDelayMs,
    int maxRetries,
    int pressureDeflateFrames,
    long guestNeedKib,
    boolean deflateOnPressure)
{
    /** Linux's batch: the frame numbers that fit in one page ({@code frame_list}). */
    public static final int MAX_BATCH_FRAMES = 512;
    /** Linux's initial {@code schedule_delay}: 1 s. */
    public static final long DEFAULT_INITIAL_RETRY_DELAY_MS = 1000;
    /** Linux's {@code max_schedule_delay}: 32 s. */
    public static final long DEFAULT_MAX_RETRY_DELAY_MS = 32_000;
    /** Linux's {@code max_retry_count}: 4. */
    public static final int DEFAULT_MAX_RETRIES = 4;
    /** virtio-balloon's {@code VIRTIO_BALLOON_OOM_NR_PAGES}: 256 pages per OOM notification. */
    public static final int DEFAULT_PRESSURE_DEFLATE_FRAMES = 256;

    /** Linux's numbers, no declared need, deflate under pressure off until negotiated. */
    public static final BalloonConfig DEFAULT = new BalloonConfig(MAX_BATCH_FRAMES, DEFAULT_INITIAL_RETRY_DELAY_MS,
        DEFAULT_MAX_RETRY_DELAY_MS, DEFAULT_MAX_RETRIES, DEFAULT_PRESSURE_DEFLATE_FRAMES, 0, false);

    /** Validates every field. */
    public BalloonConfig
    {
        if (batchFrames < 1 || batchFrames > MAX_BATCH_FRAMES)
        {
            throw new IllegalArgumentException("batchFrames must be 1.." + MAX_BATCH_FRAMES + ": " + batchFrames);
        }
        if (initialRetryDelayMs < 1 || maxRetryDelayMs < initialRetryDelayMs)
        {
            throw new IllegalArgumentException("need 1 <= initialRetryDelayMs <= maxRetryDelayMs: " +
                initialRetryDelayMs + ", " + maxRetryDelayMs);
        }
        if (maxRetries < 0 || pressureDeflateFrames < 1 || pressureDeflateFrames > MAX_BATCH_FRAMES || guestNeedKib < 0)
        {
            throw new IllegalArgumentException("need maxRetries >= 0, pressureDeflateFrames 1.." + MAX_BATCH_FRAMES +
                ", guestNeedKib >= 0: " +
                maxRetries + ", " + pressureDeflateFrames + ", " + guestNeedKib);
        }
    }

    /**
     * @param retries see {@link #maxRetries()}.
     * @return this config with another retry limit.
     */
    public BalloonConfig withMaxRetries(final int retries)
    {
        return new BalloonConfig(batchFrames, initialRetryDelayMs, maxRetryDelayMs, retries, pressureDeflateFrames,
            guestNeedKib, deflateOnPressure);
    }

    /**
     * @param needKib see {@link #guestNeedKib()}.
     * @return this config with another declared need.
     */
    public BalloonConfig withGuestNeedKib(final long needKib)
    {
        return new BalloonConfig(batchFrames, initialRetryDelayMs, maxRetryDelayMs, maxRetries, pressureDeflateFrames,
            needKib, deflateOnPressure);
    }

    /**
     * @param on see {@link #deflateOnPressure()}.
     * @return this config with deflate under pressure on or off.
     */
    public BalloonConfig withDeflateOnPressure(final boolean on)
    {
        return new BalloonConfig(batchFrames, initialRetryDelayMs, maxRetryDelayMs, maxRetries, pressureDeflateFrames,
            guestNeedKib, on);
    }
}
