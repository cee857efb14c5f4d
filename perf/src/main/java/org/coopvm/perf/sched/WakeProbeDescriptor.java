package org.coopvm.perf.sched;

/**
 * Layout of the wake-up probe's file {@code <run>/}{@value #FILE_NAME}: a RAW region the benchmark
 * creates and the {@link WakeProbeWorkload} in the probe guest maps (through the run directory).
 * The guest publishes the port its handler is on; its handler stamps the time it ran and then
 * counts the upcall (release), so the benchmark, seeing the count move, reads the stamp of that
 * upcall. Payload offsets:
 *
 * <pre>
 *   0                   4                   8                                  16
 *   +-------------------+-------------------+----------------------------------+
 *   | port (i32)        | reserved          | upcalls handled (i64)            |
 *   +-------------------+-------------------+----------------------------------+
 *  16                                      24
 *   +--------------------------------------+
 *   | last handler time, System.nanoTime   |
 *   +--------------------------------------+
 * </pre>
 *
 * Stateless; any thread.
 */
final class WakeProbeDescriptor
{
    /** File name in the run directory. */
    static final String FILE_NAME = "schedbench-probe";
    /** i32 the port the probe's handler is bound to: 0 until it is (release). */
    static final int PORT_OFFSET = 0;
    /** i64 upcalls the handler ran: release, after the time stamp. */
    static final int HANDLED_OFFSET = 8;
    /** i64 {@link System#nanoTime()} when the handler ran for the latest upcall. */
    static final int HANDLER_NS_OFFSET = 16;
    /** Payload length. */
    static final int LENGTH = 24;

    private WakeProbeDescriptor()
    {
    }
}
