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

    /**
     * One decision of the balloon policy engine.
     *
     * @param policy      the policy.
     * @param reason      the decision's reason (clamp reason when clamped).
     * @param currentKib  the domain's memory when the round started.
     * @param previousKib its target before.
     * @param proposedKib what the policy proposed.
     * @param targetKib   the target after clamping.
     * @param applied     whether it was written to {@code memory/target}.
     * @param detail      the policy's and the clamps' explanation.
     */
    record BalloonDecision(long seq, long timestampNs, int domid, String policy, String reason, long currentKib,
                           long previousKib, long proposedKib, long targetKib, boolean applied, String detail)
        implements TraceRecord
    {
        @Override
        public TraceRecordType type()
        {
            return TraceRecordType.BALLOON_DECISION;
        }
    }

    /**
     * How one change of a domain's {@code memory/target} ended.
     *
     * @param outcome      the outcome's name, lower case (e.g. {@code reached}).
     * @param requestedKib the target written, KiB, or -1 when it was not a KiB count.
     * @param effectiveKib what the domain was held to (clamped).
     * @param startKib     the domain's memory when the change was seen.
     * @param currentKib   its memory at the report.
     * @param elapsedMs    from the change to reaching the target, or to the report.
     * @param detail       why.
     */
    record BalloonReport(long seq, long timestampNs, int domid, String outcome, long requestedKib, long effectiveKib,
                         long startKib, long currentKib, long elapsedMs, String detail)
        implements TraceRecord
    {
        @Override
        public TraceRecordType type()
        {
            return TraceRecordType.BALLOON_REPORT;
        }
    }

    /**
     * CPU scheduler enforcement on one vCPU, or a live change of a domain's parameters or the host's settings.
     *
     * @param vcpu   the vCPU, -1 for a domain or host change.
     * @param event  {@code overrun}, {@code suspended}, {@code resumed}, {@code adjusted}, {@code settings} or
     *               {@code slice} (a guest's slice request).
     * @param ns     for an overrun, how long since the preempt flag; for a suspension, the penalty; for a slice, the
     *               slice in effect; else 0.
     * @param count  overruns of the vCPU within the window; else 0.
     * @param detail why; for a change, old -> new and who made it.
     */
    record Sched(long seq, long timestampNs, int domid, int vcpu, String event, long ns, long count, String detail)
        implements TraceRecord
    {
        @Override
        public TraceRecordType type()
        {
            return TraceRecordType.SCHED;
        }
    }
}
