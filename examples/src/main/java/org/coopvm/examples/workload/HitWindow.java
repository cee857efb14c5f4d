package org.coopvm.examples.workload;

/**
 * A hit ratio over the last few periods (the {@code cache} workload rolls it once per publish
 * period, so with 10 periods of 1 s it is the ratio of the last 10 s): what the cache does now,
 * where the total ratio since boot moves ever more slowly.
 *
 * <p>Thread safety: none; one owner.
 */
final class HitWindow
{
    private final long[] hits;
    private final long[] requests;
    private int next;
    private long lastHits;
    private long lastRequests;

    /**
     * @param periods how many periods the window spans, at least 1.
     */
    HitWindow(final int periods)
    {
        if (periods < 1)
        {
            throw new IllegalArgumentException("a window needs at least one period: " + periods);
        }
        hits = new long[periods];
        requests = new long[periods];
    }

    /**
     * Close a period: the window forgets its oldest period.
     *
     * @param totalHits     hits since the start.
     * @param totalRequests requests since the start.
     */
    void roll(final long totalHits, final long totalRequests)
    {
        hits[next] = totalHits - lastHits;
        requests[next] = totalRequests - lastRequests;
        lastHits = totalHits;
        lastRequests = totalRequests;
        next = (next + 1) % hits.length;
    }

    /** @return hits over requests in the window, 0 when it saw no request. */
    double ratio()
    {
        long h = 0;
        long r = 0;
        for (int i = 0; i < hits.length; i++)
        {
            h += hits[i];
            r += requests[i];
        }
        return r == 0 ? 0 : (double)h / r;
    }
}
