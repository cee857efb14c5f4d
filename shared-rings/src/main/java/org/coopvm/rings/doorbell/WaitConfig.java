package org.coopvm.rings.doorbell;

/**
 * Tuning of {@link SpinThenSleepWaitStrategy}, validated once when built.
 *
 * @param spinIterations          busy polls with {@link Thread#onSpinWait()} before yielding; 0 or more.
 * @param yieldIterations         polls with {@link Thread#yield()} before sleeping; 0 or more.
 * @param livenessCheckIntervalNs longest single futex sleep: a dead peer process is noticed
 *                                within about this time; more than 0.
 * @param heartbeatTimeoutMs      heartbeat age after which a peer counts as gone; 0 disables
 *                                the heartbeat check (closing and process death still count).
 */
public record WaitConfig(int spinIterations, int yieldIterations, long livenessCheckIntervalNs, long heartbeatTimeoutMs)
{
    /** Default busy polls before yielding. */
    public static final int DEFAULT_SPIN_ITERATIONS = 200;
    /** Default yields before sleeping. */
    public static final int DEFAULT_YIELD_ITERATIONS = 2;
    /** Default longest futex sleep between liveness checks: 100 ms. */
    public static final long DEFAULT_LIVENESS_CHECK_INTERVAL_NS = 100_000_000L;
    /** Default heartbeat timeout: disabled. */
    public static final long DEFAULT_HEARTBEAT_TIMEOUT_MS = 0;

    /** The defaults. */
    public static final WaitConfig DEFAULT = new WaitConfig(
        DEFAULT_SPIN_ITERATIONS, DEFAULT_YIELD_ITERATIONS, DEFAULT_LIVENESS_CHECK_INTERVAL_NS, DEFAULT_HEARTBEAT_TIMEOUT_MS);

    /** Validates every field; throws {@link IllegalArgumentException} naming the first bad one. */
    public WaitConfig
    {
        requireAtLeast("spinIterations", spinIterations, 0);
        requireAtLeast("yieldIterations", yieldIterations, 0);
        requireAtLeast("livenessCheckIntervalNs", livenessCheckIntervalNs, 1);
        requireAtLeast("heartbeatTimeoutMs", heartbeatTimeoutMs, 0);
    }

    /**
     * @param intervalNs the new longest futex sleep.
     * @return a copy with that liveness check interval.
     */
    public WaitConfig withLivenessCheckIntervalNs(final long intervalNs)
    {
        return new WaitConfig(spinIterations, yieldIterations, intervalNs, heartbeatTimeoutMs);
    }

    /**
     * @param timeoutMs the new heartbeat timeout, 0 to disable.
     * @return a copy with that heartbeat timeout.
     */
    public WaitConfig withHeartbeatTimeoutMs(final long timeoutMs)
    {
        return new WaitConfig(spinIterations, yieldIterations, livenessCheckIntervalNs, timeoutMs);
    }

    private static void requireAtLeast(final String name, final long value, final long min)
    {
        if (value < min)
        {
            throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
        }
    }
}
