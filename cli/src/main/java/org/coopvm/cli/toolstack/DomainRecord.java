package org.coopvm.cli.toolstack;

import org.coopvm.hypervisor.config.DomainConfig;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the toolstack keeps about one domain besides the hypervisor's own state: the config it
 * was built from (to restart it), its running guest, and whether its shutdown was handled.
 *
 * <p>Thread safety: immutable but for the atomic flags; shared by the API threads and the
 * toolstack's housekeeping thread.
 */
record DomainRecord(int domid, DomainConfig config, Guest guest, long createdAtMs, AtomicBoolean shutdownHandled, long[] unpausedAtMs)
{
    static DomainRecord of(final int domid, final DomainConfig config, final Guest guest, final long nowMs)
    {
        return new DomainRecord(domid, config, guest, nowMs, new AtomicBoolean(), new long[] {nowMs});
    }

    /** @param nowMs when the guest was let run again (its heartbeat is stale until it beats). */
    void unpausedAt(final long nowMs)
    {
        unpausedAtMs[0] = nowMs;
    }

    /** @return when the guest was started or last unpaused, epoch ms. */
    long runningSinceMs()
    {
        return unpausedAtMs[0];
    }
}
