package org.coopvm.perf.block;

import org.coopvm.drivers.block.VbdCounters;

import java.util.Locale;

/**
 * What dom0's ring agent did during one measurement, from the disk's counters before and after:
 * ring requests, requests per batch (a batch: one look at the ring that found work), how often the
 * agent went to sleep waiting for the guest, and how often it had to wake the guest. A sequential
 * case whose agent sleeps often is waiting for the guest to refill the ring (a pipeline bubble),
 * not copying.
 *
 * @param requests      ring requests served.
 * @param batches       agent rounds that served some.
 * @param parks         times the agent slept until notified.
 * @param notifications events sent to the guest.
 */
record BackendHops(long requests, long batches, long parks, long notifications)
{
    /** @return the counters now. */
    static BackendHops of(final VbdCounters counters)
    {
        return new BackendHops(counters.requests(), counters.value(VbdCounters.Value.BATCHES),
            counters.value(VbdCounters.Value.AGENT_PARKS), counters.value(VbdCounters.Value.NOTIFICATIONS));
    }

    /** @return what happened between {@code before} and this. */
    BackendHops since(final BackendHops before)
    {
        return new BackendHops(requests - before.requests, batches - before.batches, parks - before.parks,
            notifications - before.notifications);
    }

    /** @return one line for the report, e.g. {@code dom0: 41,200 ring requests, 5.1 per batch, 3.2 sleeps and 3.4 guest wake-ups per 1,000}. */
    String describe()
    {
        return String.format(Locale.ROOT, "dom0: %,d ring requests, %.1f per batch, %.1f agent sleeps and %.1f guest notifications per 1,000",
            requests, requests / (double)Math.max(1, batches), perThousand(parks), perThousand(notifications));
    }

    private double perThousand(final long count)
    {
        return 1000.0 * count / Math.max(1, requests);
    }
}
