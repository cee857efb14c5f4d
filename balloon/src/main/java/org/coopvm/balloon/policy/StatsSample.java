package org.coopvm.balloon.policy;

/**
 * One balloon stats sample a guest published (virtio-balloon's tags plus CoopVM's working-set
 * estimate, declared floor and cooperative request), copied out of shared memory by the
 * snapshot source. Counters ({@code majorFaults}, {@code minorFaults}, {@code swapInKib},
 * {@code swapOutKib}, {@code allocStalls}) are cumulative since the guest booted, as virtio's
 * are; policies look at their deltas between samples.
 *
 * <p>Everything here was written by the guest, so nothing is trusted: the record accepts any
 * values and {@link #problem(long)} says whether they are plausible. A policy acts on a sample
 * only through a {@link DomainView} whose {@link DomainView#statsStatus()} is
 * {@link StatsStatus#FRESH}.
 *
 * @param sequence      the guest's sequence number of this sample (increases by one per push).
 * @param timestampNs   when the guest took it (its monotonic clock); informative only.
 * @param totalKib      memory the guest sees (virtio tag 5, total).
 * @param freeKib       memory unused by the guest (tag 4, free; MoM's {@code mem_unused}).
 * @param availableKib  memory available for new work without swapping (tag 6).
 * @param cacheKib      reclaimable caches (tag 7).
 * @param workingSetKib the guest's estimate of the memory its work needs now, or {@link #UNKNOWN};
 *                      above {@code totalKib} when the guest is short of memory (it cannot use
 *                      more than it has, so {@link #committedKib()} cannot say so).
 * @param majorFaults   major page faults (tag 2), cumulative.
 * @param minorFaults   minor page faults (tag 3), cumulative.
 * @param swapInKib     memory swapped in (tag 0), cumulative.
 * @param swapOutKib    memory swapped out (tag 1), cumulative.
 * @param allocStalls   allocation stalls (tag 11), cumulative.
 * @param guestFloorKib the least memory the guest says it needs, or 0 when it declares none.
 * @param requestKib    the cooperative request: more than 0 asks for that much more than
 *                      {@code totalKib}, less than 0 volunteers to give that much back, 0 none.
 *
 * <p>Thread safety: immutable.
 */
public record StatsSample(
    long sequence,
    long timestampNs,
    long totalKib,
    long freeKib,
    long availableKib,
    long cacheKib,
    long workingSetKib,
    long majorFaults,
    long minorFaults,
    long swapInKib,
    long swapOutKib,
    long allocStalls,
    long guestFloorKib,
    long requestKib)
{
    /** {@link #workingSetKib} when the guest does not estimate its working set. */
    public static final long UNKNOWN = -1;

    /**
     * A sample with only the memory figures (no counters, no floor, no request): what most
     * recorded scenarios need.
     *
     * @param sequence      sequence number.
     * @param totalKib      total.
     * @param freeKib       free.
     * @param cacheKib      reclaimable caches ({@code availableKib} is taken as free + caches).
     * @param workingSetKib working set, or {@link #UNKNOWN}.
     * @return the sample.
     */
    public static StatsSample of(final long sequence, final long totalKib, final long freeKib, final long cacheKib,
        final long workingSetKib)
    {
        return new StatsSample(sequence, sequence, totalKib, freeKib, Math.min(totalKib, freeKib + cacheKib), cacheKib,
            workingSetKib, 0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * @param newRequestKib a cooperative request (more than 0 asks, less than 0 volunteers).
     * @return this sample with that request.
     */
    public StatsSample withRequest(final long newRequestKib)
    {
        return new StatsSample(sequence, timestampNs, totalKib, freeKib, availableKib, cacheKib, workingSetKib,
            majorFaults, minorFaults, swapInKib, swapOutKib, allocStalls, guestFloorKib, newRequestKib);
    }

    /**
     * @param newAllocStalls a cumulative allocation-stall count.
     * @return this sample with that count.
     */
    public StatsSample withAllocStalls(final long newAllocStalls)
    {
        return new StatsSample(sequence, timestampNs, totalKib, freeKib, availableKib, cacheKib, workingSetKib,
            majorFaults, minorFaults, swapInKib, swapOutKib, newAllocStalls, guestFloorKib, requestKib);
    }

    /**
     * Whether the figures can be true of a guest that may hold at most {@code ceilingKib}.
     *
     * @param ceilingKib the most memory the guest can have (its maxmem, or its current
     *                   reservation when that is higher, after {@code mem-max} lowered maxmem).
     * @return {@code null} when plausible, else what is wrong, for the decision's detail.
     */
    public String problem(final long ceilingKib)
    {
        if (totalKib <= 0 || totalKib > ceilingKib)
        {
            return "total " + totalKib + " KiB outside 1.." + ceilingKib;
        }
        if (!within(freeKib) || !within(availableKib) || !within(cacheKib))
        {
            return "free " + freeKib + ", available " + availableKib + " or cache " + cacheKib +
                " KiB outside 0..total " + totalKib;
        }
        if (workingSetKib != UNKNOWN && (workingSetKib < 0 || workingSetKib > ceilingKib))
        {
            return "working set " + workingSetKib + " KiB outside 0.." + ceilingKib;
        }
        if ((majorFaults | minorFaults | swapInKib | swapOutKib | allocStalls | guestFloorKib) < 0)
        {
            return "negative counter or floor";
        }
        return null;
    }

    /** @return memory the guest uses for other than caches: total - free - caches, at least 0. */
    public long committedKib()
    {
        return Math.max(0, totalKib - freeKib - cacheKib);
    }

    /**
     * @return what the guest needs: its committed memory, or its working-set estimate when that is
     * higher (only the estimate can exceed what the guest has).
     */
    public long neededKib()
    {
        return Math.max(committedKib(), workingSetKib);
    }

    /** @return whether the guest estimated its working set. */
    public boolean hasWorkingSet()
    {
        return workingSetKib != UNKNOWN;
    }

    private boolean within(final long kib)
    {
        return kib >= 0 && kib <= totalKib;
    }
}
