package org.coopvm.examples.workload;

/**
 * How many requests a paced stream owes at a tick: {@code rate} per second of elapsed time, the
 * fraction carried to the next tick, and never more than {@code maxBatch} at once (a stream that
 * fell behind, because its vCPU was descheduled or the guest paused, drops the backlog instead of
 * bursting: the per-tick work stays bounded).
 *
 * <p>Thread safety: none; one owner.
 */
final class RequestPacer
{
    private final double perNs;
    private final int maxBatch;
    private long lastNs;
    private double owed;
    private long dropped;

    /**
     * @param ratePerSecond requests per second, above 0.
     * @param maxBatch      most requests per tick, at least 1.
     * @param startNs       when the stream starts.
     */
    RequestPacer(final double ratePerSecond, final int maxBatch, final long startNs)
    {
        this.perNs = ratePerSecond / 1e9;
        this.maxBatch = maxBatch;
        this.lastNs = startNs;
    }

    /**
     * @param nowNs now (not before the previous call).
     * @return requests to serve now.
     */
    int due(final long nowNs)
    {
        owed += Math.max(0, nowNs - lastNs) * perNs;
        lastNs = Math.max(lastNs, nowNs);
        if (owed > maxBatch)
        {
            dropped += (long)(owed - maxBatch);
            owed = maxBatch;
        }
        final int batch = (int)owed;
        owed -= batch;
        return batch;
    }

    /** @return requests dropped because the stream fell behind. */
    long dropped()
    {
        return dropped;
    }
}
