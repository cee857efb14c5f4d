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

    /** The queue directory's name inside a run directory. */
    public static final String TRACE_DIR_NAME = "trace";

    private TraceSchema()
    {
    }
}
