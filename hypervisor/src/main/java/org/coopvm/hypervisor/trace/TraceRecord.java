package org.coopvm.hypervisor.trace;

/**
 * One record read back from a trace. Immutable; any thread.
 */
public sealed interface TraceRecord
{
    /**
     * @return the record's position in the trace: 1, 2, 3... in queue order.
     */
    long seq();

    /**
     * @return when it was recorded, epoch nanoseconds from the host's clock.
     */
    long timestampNs();

    /**
     * @return the domain it concerns ({@link Tracer#HOST_DOMID} for the host).
     */
    int domid();

    /**
     * @return its kind.
     */
    TraceRecordType type();

    /**
     * A host or domain lifecycle event.
     *
     * @param code   the exit code for {@link LifecycleEvent#GUEST_PROCESS_DIED}, else 0.
     * @param detail the reason for shutdown and crash events, else "".
     */
    record Lifecycle(long seq, long timestampNs, int domid, LifecycleEvent event, long code, String detail)
        implements TraceRecord
    {
        @Override
        public TraceRecordType type()
        {
            return TraceRecordType.LIFECYCLE;
        }
    }

    /**
     * One hypercall.
     *
     * @param result    0 or a negative errno.
     * @param latencyNs from reading the request to publishing the reply.
     */
    record Hypercall(long seq, long timestampNs, int domid, int vcpu, String op, String cmd, int result, long latencyNs)
        implements TraceRecord
    {
        @Override
        public TraceRecordType type()
        {
            return TraceRecordType.HYPERCALL;
        }
    }

    /**
     * Malformed input from a guest.
     *
     * @param what  what was malformed.
     * @param count how many faults this record reports.
     */
    record Fault(long seq, long timestampNs, int domid, String what, long count) implements TraceRecord
    {
        @Override
        public TraceRecordType type()
        {
            return TraceRecordType.FAULT;
        }
    }

    /**
     * One reservation call on a domain's memory.
     *
     * @param cmd     the command, e.g. "decrease_reservation".
     * @param extents extents asked for.
     * @param order   log2 of pages per extent.
     * @param result  extents done, or minus an errno.
     * @param pages   the domain's populated pages after the call.
     */
    record Memory(long seq, long timestampNs, int domid, String cmd, long extents, int order, long result, long pages)
        implements TraceRecord
    {
        @Override
        public TraceRecordType type()
        {
            return TraceRecordType.MEMORY;
        }
    }
}
