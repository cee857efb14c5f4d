package org.coopvm.perf.report;

/**
 * A measured quantity, with its unit and which way is better.
 *
 * <p>Immutable; any thread.
 */
public enum Metric
{
    /** One-way messages per second, 64-byte messages. */
    THROUGHPUT("msg/s", true),
    /** Median round-trip time. */
    RTT_P50("ns", false),
    /** 99th percentile round-trip time. */
    RTT_P99("ns", false),
    /** 99.9th percentile round-trip time. */
    RTT_P999("ns", false),
    /** CPU used by a thread blocked on an empty transport, in percent of one CPU. */
    IDLE_CPU("% of one CPU", false),
    /** Median one-way latency, timed across processes with the shared monotonic clock. */
    ONE_WAY_P50("ns", false),
    /** 99th percentile one-way latency. */
    ONE_WAY_P99("ns", false),
    /** 99.9th percentile one-way latency. */
    ONE_WAY_P999("ns", false),
    /** Completed request/reply operations per second, one client waiting for each reply. */
    OPS_PER_SECOND("ops/s", true),
    /** Wall time of one operation on a fixed amount of memory, in seconds. */
    SECONDS("s", false),
    /** Memory moved per second, in GiB (2^30 bytes) per second. */
    GIB_PER_SECOND("GiB/s", true),
    /** Bytes moved per second, in MB (10^6 bytes) per second. */
    MB_PER_SECOND("MB/s", true),
    /** Payload bits moved per second, in Gbit (10^9 bits) per second. */
    GBIT_PER_SECOND("Gbit/s", true),
    /** Resident memory the host got back, as a fraction of the memory given up (1.0 = all of it). */
    RETURNED_FRACTION("fraction", true),
    /** Jain's fairness index of achieved / entitled CPU shares: 1.0 = every guest got exactly its entitlement. */
    JAIN_INDEX("index", true),
    /** The smallest achieved / entitled CPU share of any guest (1.0 = its entitlement). */
    SHARE_RATIO_MIN("achieved/entitled", true),
    /** The largest achieved / entitled CPU share of any guest (1.0 = its entitlement). */
    SHARE_RATIO_MAX("achieved/entitled", false),
    /** CPU time of the scheduler's own thread per wall second, in percent of one CPU. */
    SCHEDULER_CPU("% of one CPU", false),
    /** CPU time of the guests' vCPU threads per wall second, in percent of one CPU (the work being scheduled). */
    GUESTS_CPU("% of one CPU", true),
    /** Mean cost of one scheduling decision of a pure algorithm (charge, schedule and its share of the ticks). */
    NS_PER_DECISION("ns", false),
    /** Median time one API call takes to return. */
    CALL_P50("ns", false),
    /** 99th percentile time one API call takes to return. */
    CALL_P99("ns", false);

    private final String unit;
    private final boolean higherIsBetter;

    Metric(final String unit, final boolean higherIsBetter)
    {
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
    }

    /** @return the unit of {@link Figure#value()}. */
    public String unit()
    {
        return unit;
    }

    /** @return {@code true} when a larger value is better (throughput), {@code false} otherwise. */
    public boolean higherIsBetter()
    {
        return higherIsBetter;
    }

    /** @return the identifier used in JSON, e.g. {@code rtt-p50}. */
    public String id()
    {
        return Names.kebab(name());
    }
}
