package org.coopvm.balloon.engine;

import org.agrona.collections.Int2ObjectHashMap;
import org.coopvm.balloon.policy.DomainView;
import org.coopvm.balloon.policy.StatsSample;

import java.util.ArrayDeque;
import java.util.List;

/**
 * Keeps, for a snapshot source, each domain's recent stats samples and when the host last saw a
 * new one. A sample is new when its sequence number differs from the previous one's (a guest
 * that republishes the same sequence adds nothing). Freshness is judged by the host's clock at
 * the time the new sequence was seen, never by the guest's timestamps, so a guest cannot look
 * fresh by writing a future timestamp.
 *
 * <p>Thread safety: one thread (the snapshot source's, normally the engine's).
 */
public final class StatsHistoryRecorder
{
    private final int capacity;
    private final Int2ObjectHashMap<Track> tracks = new Int2ObjectHashMap<>();

    /** @param capacity samples kept per domain, 1..{@link DomainView#MAX_HISTORY}. */
    public StatsHistoryRecorder(final int capacity)
    {
        if (capacity < 1 || capacity > DomainView.MAX_HISTORY)
        {
            throw new IllegalArgumentException("stats history capacity outside 1.." +
                DomainView.MAX_HISTORY + ": " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * @param domid  the domain.
     * @param sample its latest sample (read once from shared memory).
     * @param nowNs  the host's clock.
     * @return whether the sample was new and recorded.
     */
    public boolean offer(final int domid, final StatsSample sample, final long nowNs)
    {
        Track track = tracks.get(domid);
        if (track == null)
        {
            track = new Track();
            tracks.put(domid, track);
        }
        if (!track.samples.isEmpty() && track.samples.getLast().sequence() == sample.sequence())
        {
            return false;
        }
        if (track.samples.size() == capacity)
        {
            track.samples.removeFirst();
        }
        track.samples.addLast(sample);
        track.lastNewNs = nowNs;
        return true;
    }

    /**
     * @param domid a domain.
     * @return its samples, oldest first (empty when none).
     */
    public List<StatsSample> history(final int domid)
    {
        final Track track = tracks.get(domid);
        return track == null ? List.of() : List.copyOf(track.samples);
    }

    /**
     * @param domid    a domain.
     * @param nowNs    the host's clock.
     * @param maxAgeNs how long ago a new sample may have been seen (a few stats periods).
     * @return whether a new sample was seen within {@code maxAgeNs}.
     */
    public boolean isFresh(final int domid, final long nowNs, final long maxAgeNs)
    {
        final Track track = tracks.get(domid);
        return track != null && !track.samples.isEmpty() && nowNs - track.lastNewNs <= maxAgeNs;
    }

    /** @param domid a domain that is gone: forget it. */
    public void forget(final int domid)
    {
        tracks.remove(domid);
    }

    private static final class Track
    {
        final ArrayDeque<StatsSample> samples = new ArrayDeque<>();
        long lastNewNs;
    }
}
