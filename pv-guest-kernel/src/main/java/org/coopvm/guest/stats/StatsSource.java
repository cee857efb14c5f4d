package org.coopvm.guest.stats;

import org.coopvm.rings.balloon.BalloonStatsSample;

/**
 * Where the kernel's stats publisher gets the numbers it publishes in the balloon stats region:
 * the buddy allocator ({@link GuestMemoryStatsSource}: free, caches, stalls, the declared floor);
 * swap and major faults from its swap space.
 *
 * <p>Thread safety: called on the publishing vCPU's thread, between task steps; implementations
 * read their own state safely from it.
 */
@FunctionalInterface
public interface StatsSource
{
    /**
     * Fill a sample: set the virtio tags you know (each set marks its tag valid; leave the others),
     * the floor and the working set estimate.
     *
     * @param into a cleared sample.
     */
    void sample(BalloonStatsSample into);
}
