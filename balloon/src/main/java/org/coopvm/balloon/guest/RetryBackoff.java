package org.coopvm.balloon.guest;

/**
 * The balloon driver's retry schedule after a step that moved no frame: wait 1, 2, 4, 8, 16,
 * 32, 32, ... seconds (the delay doubles up to a maximum) and give up after a number of retries.
 * After Linux's {@code update_schedule()} ({@code schedule_delay}, {@code max_schedule_delay},
 * {@code retry_count}, {@code max_retry_count}); progress resets it, as Linux's
 * {@code BP_DONE} does.
 *
 * <p>Linux doubles the delay before its first wait, so its waits are 2, 4, 8 s and it gives up
 * when the fourth attempt fails; this schedule waits the full 1, 2, 4, 8 s and gives up when the
 * fourth retry fails, as issue 5 and the team's Xen reference describe it.
 *
 * <p>Thread safety: the balloon driver's thread only.
 */
final class RetryBackoff
{
    private final long initialDelayNs;
    private final long maxDelayNs;
    private final int maxRetries;
    private long delayNs;
    private int retries;
    private long retryAtNs;

    /**
     * @param initialDelayNs the first wait.
     * @param maxDelayNs     the longest wait.
     * @param maxRetries     retries before giving up; 0 for never.
     */
    RetryBackoff(final long initialDelayNs, final long maxDelayNs, final int maxRetries)
    {
        this.initialDelayNs = initialDelayNs;
        this.maxDelayNs = maxDelayNs;
        this.maxRetries = maxRetries;
        this.delayNs = initialDelayNs;
    }

    /** Progress, or a new target: the next failure waits the initial delay again. */
    void reset()
    {
        delayNs = initialDelayNs;
        retries = 0;
    }

    /**
     * A step failed: schedule the next retry.
     *
     * @param nowNs now.
     * @return {@code true} when a retry is scheduled at {@link #retryAtNs()}, {@code false} when
     *         the retries are used up (give up).
     */
    boolean onFailure(final long nowNs)
    {
        if (maxRetries != 0 && retries >= maxRetries)
        {
            return false;
        }
        retries++;
        retryAtNs = nowNs + delayNs;
        delayNs = Math.min(delayNs * 2, maxDelayNs);
        return true;
    }

    /** @return when the scheduled retry is due. */
    long retryAtNs()
    {
        return retryAtNs;
    }

    /** @return retries scheduled since the last reset. */
    int retries()
    {
        return retries;
    }
}
