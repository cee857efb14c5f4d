package org.coopvm.perf.hypercall;

/**
 * Layout of the benchmark's control file {@code <run>/}{@value #FILE_NAME}: a RAW region the
 * benchmark JVM creates and the benchmark workloads in the guests map (through the run directory
 * they learn from {@code GuestContext.runDir()}). It carries the event channel rendezvous, the
 * pong's upcall time stamp, and each guest's results back to the benchmark. Payload offsets:
 *
 * <pre>
 *   0                   4                   8                                  16
 *   +-------------------+-------------------+----------------------------------+
 *   | status (i32)      | pong port (i32)   | pong answers sent (i64)          |
 *   +-------------------+-------------------+----------------------------------+
 *  16                                      24                  28              32
 *   +--------------------------------------+-------------------+---------------+
 *   | pong upcall time, System.nanoTime    | domid of guest 0  | of guest 1    |
 *   +--------------------------------------+-------------------+---------------+
 *  32: reserved up to 64
 *  64: round-trip result   {count, p50, p99, p99.9, max} i64 x 5
 * 128: one-way result      {count, p50, p99, p99.9, max} i64 x 5
 * 192: end
 * </pre>
 *
 * The benchmark writes the domids of the guests in creation order before starting them (the
 * event channel pong is guest 0, the ping guest 1).
 * Status: {@link #RUNNING} until the measuring guest writes its results and then {@link #DONE}
 * (release), or {@link #FAILED}. Stateless; any thread.
 */
public final class BenchControlDescriptor
{
    /** File name in the run directory. */
    public static final String FILE_NAME = "hcbench-control";
    /** i32 status of the measuring guest. */
    public static final int STATUS_OFFSET = 0;
    /** i32 the pong's unbound port for the ping (0 until published, release). */
    public static final int PONG_PORT_OFFSET = 4;
    /** i64 answers the pong sent: release, after the time stamp and before each answer's send. */
    public static final int PONG_ANSWERS_OFFSET = 8;
    /** i64 {@link System#nanoTime()} when the pong's handler ran for its latest upcall. */
    public static final int PONG_UPCALL_NS_OFFSET = 16;
    /** i32 domid of the k-th guest created, at {@code GUEST_DOMID_OFFSET + 4 * k}, k < {@link #MAX_GUESTS}. */
    public static final int GUEST_DOMID_OFFSET = 24;
    /** Guests whose domids the control file carries. */
    public static final int MAX_GUESTS = 2;
    /** Round-trip percentiles, see {@link #RESULT_COUNT_OFFSET} and following. */
    public static final int ROUND_TRIP_RESULT_OFFSET = 64;
    /** One-way percentiles. */
    public static final int ONE_WAY_RESULT_OFFSET = 128;
    /** In a result: i64 values recorded. */
    public static final int RESULT_COUNT_OFFSET = 0;
    /** In a result: i64 median, ns. */
    public static final int RESULT_P50_OFFSET = 8;
    /** In a result: i64 99th percentile, ns. */
    public static final int RESULT_P99_OFFSET = 16;
    /** In a result: i64 99.9th percentile, ns. */
    public static final int RESULT_P999_OFFSET = 24;
    /** In a result: i64 maximum, ns. */
    public static final int RESULT_MAX_OFFSET = 32;
    /** Payload length. */
    public static final int CONTROL_LENGTH = 192;

    /** Status: measuring. */
    public static final int RUNNING = 0;
    /** Status: results written. */
    public static final int DONE = 1;
    /** Status: the measuring guest gave up (its console says why). */
    public static final int FAILED = 2;

    private BenchControlDescriptor()
    {
    }
}
