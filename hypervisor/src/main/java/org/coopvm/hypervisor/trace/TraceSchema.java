package org.coopvm.hypervisor.trace;

/**
 * The field names of a trace record in the queue, in the order they are written. Every record
 * starts with the common header; the rest depends on {@code type}:
 * <pre>
 *   common:     type int8 | seq int64 | ts int64 (epoch ns) | dom int32
 *   LIFECYCLE:  event int8 | code int64 (exit code, else 0) | detail text (reason, else "")
 *   HYPERCALL:  vcpu int32 | op text | cmd text | result int32 (0 or -errno) | latency int64 (ns)
 *   FAULT:      what text | count int64
 *   MEMORY:     cmd text | extents int64 | order int32 | result int64 (extents done or -errno) | pages int64 (after)
 *   BALLOON_DECISION: policy text | reason text | current int64 | previous int64 | proposed int64 | target int64
 *               (KiB) | applied int8 (1 written to memory/target) | detail text
 *   BALLOON_REPORT: outcome text | requested int64 | effective int64 | start int64 | current int64 (KiB; requested
 *               -1 when invalid) | elapsed int64 (ms) | detail text (the invalid text first, when invalid)
 *   SCHED:      vcpu int32 (-1 for a domain or host change) | event text (overrun, suspended, resumed, adjusted,
 *               settings, slice) | ns int64 (overrun: since the preempt flag; suspended: the penalty; slice: the
 *               slice in effect; else 0) | count int64 (overruns within the window; else 0) | detail text (why; for
 *               adjusted and settings: old -> new and who)
 * </pre>
 * Constants only.
 */
public final class TraceSchema
{
    public static final String TYPE = "type";
    public static final String SEQ = "seq";
    public static final String TIMESTAMP = "ts";
    public static final String DOMID = "dom";

    public static final String EVENT = "event";
    public static final String CODE = "code";
    public static final String DETAIL = "detail";

    public static final String VCPU = "vcpu";
    public static final String OP = "op";
    public static final String CMD = "cmd";
    public static final String RESULT = "result";
    public static final String LATENCY_NS = "latency";

    public static final String WHAT = "what";
    public static final String COUNT = "count";

    public static final String EXTENTS = "extents";
    public static final String ORDER = "order";
    public static final String PAGES = "pages";

    public static final String POLICY = "policy";
    public static final String REASON = "reason";
    public static final String CURRENT = "current";
    public static final String PREVIOUS = "previous";
    public static final String PROPOSED = "proposed";
    public static final String TARGET = "target";
    public static final String APPLIED = "applied";

    public static final String OUTCOME = "outcome";
    public static final String REQUESTED = "requested";
    public static final String EFFECTIVE = "effective";
    public static final String START = "start";
    public static final String ELAPSED_MS = "elapsed";

    public static final String NS = "ns";

    /** The queue directory's name inside a run directory. */
    public static final String TRACE_DIR_NAME = "trace";

    private TraceSchema()
    {
    }
}
