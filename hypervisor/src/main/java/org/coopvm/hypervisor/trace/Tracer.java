package org.coopvm.hypervisor.trace;

import static org.coopvm.hypervisor.trace.TraceSchema.CMD;
import static org.coopvm.hypervisor.trace.TraceSchema.CODE;
import static org.coopvm.hypervisor.trace.TraceSchema.COUNT;
import static org.coopvm.hypervisor.trace.TraceSchema.DETAIL;
import static org.coopvm.hypervisor.trace.TraceSchema.DOMID;
import static org.coopvm.hypervisor.trace.TraceSchema.EVENT;
import static org.coopvm.hypervisor.trace.TraceSchema.EXTENTS;
import static org.coopvm.hypervisor.trace.TraceSchema.LATENCY_NS;
import static org.coopvm.hypervisor.trace.TraceSchema.OP;
import static org.coopvm.hypervisor.trace.TraceSchema.ORDER;
import static org.coopvm.hypervisor.trace.TraceSchema.PAGES;
import static org.coopvm.hypervisor.trace.TraceSchema.RESULT;
import static org.coopvm.hypervisor.trace.TraceSchema.NS;
import static org.coopvm.hypervisor.trace.TraceSchema.SEQ;
import static org.coopvm.hypervisor.trace.TraceSchema.TIMESTAMP;
import static org.coopvm.hypervisor.trace.TraceSchema.TYPE;
import static org.coopvm.hypervisor.trace.TraceSchema.VCPU;
import static org.coopvm.hypervisor.trace.TraceSchema.WHAT;
import static org.coopvm.hypervisor.trace.TraceSchema.APPLIED;
import static org.coopvm.hypervisor.trace.TraceSchema.CURRENT;
import static org.coopvm.hypervisor.trace.TraceSchema.EFFECTIVE;
import static org.coopvm.hypervisor.trace.TraceSchema.ELAPSED_MS;
import static org.coopvm.hypervisor.trace.TraceSchema.OUTCOME;
import static org.coopvm.hypervisor.trace.TraceSchema.POLICY;
import static org.coopvm.hypervisor.trace.TraceSchema.PREVIOUS;
import static org.coopvm.hypervisor.trace.TraceSchema.PROPOSED;
import static org.coopvm.hypervisor.trace.TraceSchema.REASON;
import static org.coopvm.hypervisor.trace.TraceSchema.REQUESTED;
import static org.coopvm.hypervisor.trace.TraceSchema.START;
import static org.coopvm.hypervisor.trace.TraceSchema.TARGET;

import java.nio.file.Path;
import java.util.function.Consumer;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.chronicle.wire.Wire;
import org.agrona.concurrent.EpochNanoClock;

/**
 * The host's trace writer: typed records (see {@link TraceSchema}) appended to a Chronicle Queue
 * at {@code <run>/trace}, each with a timestamp from the injected clock and a sequence number
 * that increases by one per record in queue order (it continues from the last record when a
 * host reopens an existing trace).
 * <p>
 * One tracer per host. Thread safety: any thread may call the {@code record} methods (the
 * hypercall dispatcher agent for hypercalls and faults, API and reaper threads for lifecycle).
 * They share one appender under a private lock; the queue serialises writers anyway, so per-thread
 * appenders would buy nothing. At {@link TraceLevel#OFF} no queue is opened and every method
 * returns after reading one final field, without allocating. Records for a level above the
 * tracer's are dropped the same way. After {@link #close()} records are silently dropped.
 */
public final class Tracer implements AutoCloseable
{
    /** The domain id of host records: the host is domain 0, as in Xen. */
    public static final int HOST_DOMID = 0;

    private static final Tracer OFF = new Tracer(TraceLevel.OFF, null, () -> 0L, null);

    private final TraceLevel level;
    private final boolean lifecycleEnabled;
    private final boolean hypercallsEnabled;
    private final Path queueDir;
    private final EpochNanoClock clock;
    private final ChronicleQueue queue;
    private final ExcerptAppender appender;
    private final Object lock = new Object();
    private long lastSeq;
    private boolean closed;

    private Tracer(final TraceLevel level, final Path queueDir, final EpochNanoClock clock, final ChronicleQueue queue)
    {
        this.level = level;
        this.lifecycleEnabled = level.includes(TraceLevel.LIFECYCLE);
        this.hypercallsEnabled = level.includes(TraceLevel.HYPERCALLS);
        this.queueDir = queueDir;
        this.clock = clock;
        this.queue = queue;
        this.appender = queue == null ? null : openAppender(queue);
        this.lastSeq = queue == null ? 0 : lastSequence(queue);
    }

    /**
     * @return a tracer that records nothing and opens nothing.
     */
    public static Tracer off()
    {
        return OFF;
    }

    /**
     * Opens the trace of a run directory, at {@code runDir/trace}.
     *
     * @see #open(Path, TraceLevel, EpochNanoClock)
     */
    public static Tracer openInRunDir(final Path runDir, final TraceLevel level, final EpochNanoClock clock)
    {
        return open(runDir.resolve(TraceSchema.TRACE_DIR_NAME), level, clock);
    }

    /**
     * Opens (creating if needed) the queue at {@code queueDir} for appending, unless {@code level}
     * is OFF, in which case nothing is created and {@link #off()} is returned.
     *
     * @param queueDir the queue directory.
     * @param level    what to record.
     * @param clock    source of every record's timestamp (epoch nanoseconds).
     * @return the tracer; close it when the host stops.
     * @throws IllegalStateException if Chronicle analytics are not disabled in this JVM.
     */
    public static Tracer open(final Path queueDir, final TraceLevel level, final EpochNanoClock clock)
    {
        if (level == TraceLevel.OFF)
        {
            return OFF;
        }
        ChronicleSafety.requireAnalyticsDisabled(queueDir);
        final ChronicleQueue queue = ChronicleQueue.singleBuilder(queueDir).build();
        try
        {
            return new Tracer(level, queueDir, clock, queue);
        }
        catch (final RuntimeException ex)
        {
            queue.close();
            throw ex;
        }
    }

    /**
     * @return the level given at open.
     */
    public TraceLevel level()
    {
        return level;
    }

    /**
     * @param type a kind of record.
     * @return whether this tracer writes records of that kind.
     */
    public boolean isEnabled(final TraceRecordType type)
    {
        return level.includes(type.level());
    }

    /**
     * @return the queue directory, or null when OFF.
     */
    public Path queueDir()
    {
        return queueDir;
    }

    /** Records that the host is up (domain {@link #HOST_DOMID}). */
    public void hostStarted()
    {
        lifecycle(LifecycleEvent.HOST_STARTED, HOST_DOMID, 0, "");
    }

    /** Records that the host is stopping (domain {@link #HOST_DOMID}). */
    public void hostStopped()
    {
        lifecycle(LifecycleEvent.HOST_STOPPED, HOST_DOMID, 0, "");
    }

    /** @param domid the domain built (memory and regions set up, not yet running). */
    public void domainCreated(final int domid)
    {
        lifecycle(LifecycleEvent.DOMAIN_CREATED, domid, 0, "");
    }

    /** @param domid the domain whose vCPUs started running. */
    public void domainStarted(final int domid)
    {
        lifecycle(LifecycleEvent.DOMAIN_STARTED, domid, 0, "");
    }

    /** @param domid the domain paused. */
    public void domainPaused(final int domid)
    {
        lifecycle(LifecycleEvent.DOMAIN_PAUSED, domid, 0, "");
    }

    /** @param domid the domain unpaused. */
    public void domainUnpaused(final int domid)
    {
        lifecycle(LifecycleEvent.DOMAIN_UNPAUSED, domid, 0, "");
    }

    /**
     * @param domid  the domain that shut down.
     * @param reason the shutdown reason's lower-case name (poweroff, reboot, suspend, crash, watchdog).
     */
    public void domainShutdown(final int domid, final CharSequence reason)
    {
        lifecycle(LifecycleEvent.DOMAIN_SHUTDOWN, domid, 0, reason);
    }

    /**
     * @param domid the domain the toolstack asked to shut down.
     * @param how   how it asked, e.g. {@code control/shutdown=poweroff}.
     */
    public void shutdownRequested(final int domid, final CharSequence how)
    {
        lifecycle(LifecycleEvent.SHUTDOWN_REQUESTED, domid, 0, how);
    }

    /**
     * @param domid the domain the host declared crashed.
     * @param why   a short human-readable reason, e.g. "64 malformed hypercalls".
     */
    public void domainCrashed(final int domid, final CharSequence why)
    {
        lifecycle(LifecycleEvent.DOMAIN_CRASHED, domid, 0, why);
    }

    /** @param domid the domain whose resources were released. */
    public void domainDestroyed(final int domid)
    {
        lifecycle(LifecycleEvent.DOMAIN_DESTROYED, domid, 0, "");
    }

    /**
     * @param domid    the domain whose guest process ended.
     * @param exitCode the process's exit code (128 + signal when killed by a signal).
     */
    public void guestProcessDied(final int domid, final int exitCode)
    {
        lifecycle(LifecycleEvent.GUEST_PROCESS_DIED, domid, exitCode, "");
    }

    /**
     * Records a lifecycle event; the named methods above call this.
     *
     * @param event  what happened.
     * @param domid  the domain, or {@link #HOST_DOMID}.
     * @param code   a number that goes with the event (exit code), else 0.
     * @param detail text that goes with the event (reason), else "".
     */
    public void lifecycle(final LifecycleEvent event, final int domid, final long code, final CharSequence detail)
    {
        if (!lifecycleEnabled)
        {
            return; // before the lambda: an OFF tracer allocates nothing
        }
        append(TraceRecordType.LIFECYCLE, domid, wire ->
        {
            wire.write(EVENT).int8(event.code());
            wire.write(CODE).int64(code);
            wire.write(DETAIL).text(detail);
        });
    }

    /**
     * Records one hypercall; the dispatcher calls this after replying. Pass constant strings (an
     * enum's precomputed lower-case name) for {@code op} and {@code cmd} so nothing is allocated.
     *
     * @param domid     the calling domain.
     * @param vcpu      the calling vCPU.
     * @param op        the hypercall's name, e.g. "event_channel_op".
     * @param cmd       its sub-command's name, e.g. "send", or "" if it has none.
     * @param result    0 or a negative errno.
     * @param latencyNs from reading the request to publishing the reply.
     */
    public void hypercall(
        final int domid, final int vcpu, final CharSequence op, final CharSequence cmd, final int result, final long latencyNs)
    {
        if (!hypercallsEnabled)
        {
            return;
        }
        synchronized (lock)
        {
            if (closed)
            {
                return;
            }
            try (DocumentContext dc = appender.writingDocument())
            {
                final Wire wire = header(dc, TraceRecordType.HYPERCALL, domid);
                wire.write(VCPU).int32(vcpu);
                wire.write(OP).text(op);
                wire.write(CMD).text(cmd);
                wire.write(RESULT).int32(result);
                wire.write(LATENCY_NS).int64(latencyNs);
            }
        }
    }

    /**
     * Records that a guest sent something malformed. Call it when the fault is counted (or once
     * per batch of faults: {@code count} is how many this record stands for).
     *
     * @param domid the guest.
     * @param what  what was malformed, e.g. "hypercall op 99 unknown" (keep it constant).
     * @param count how many faults of that kind this record reports.
     */
    public void guestFault(final int domid, final CharSequence what, final long count)
    {
        if (!lifecycleEnabled)
        {
            return; // before the lambda: an OFF tracer allocates nothing
        }
        append(TraceRecordType.FAULT, domid, wire ->
        {
            wire.write(WHAT).text(what);
            wire.write(COUNT).int64(count);
        });
    }

    /**
     * Records one reservation call on a domain's memory. Pass a constant string for {@code cmd}.
     *
     * @param domid   the domain whose memory it was.
     * @param cmd     the command's name, e.g. "decrease_reservation".
     * @param extents extents asked for.
     * @param order   log2 of pages per extent.
     * @param result  extents done, or minus an errno.
     * @param pages   the domain's populated pages after the call.
     */
    public void memory(final int domid, final CharSequence cmd, final long extents, final int order, final long result, final long pages)
    {
        if (!lifecycleEnabled)
        {
            return; // before the lambda: an OFF tracer allocates nothing
        }
        append(TraceRecordType.MEMORY, domid, wire ->
        {
            wire.write(CMD).text(cmd);
            wire.write(EXTENTS).int64(extents);
            wire.write(ORDER).int32(order);
            wire.write(RESULT).int64(result);
            wire.write(PAGES).int64(pages);
        });
    }

    /**
     * Records one decision of the balloon policy engine.
     *
     * @param domid       the domain decided for.
     * @param policy      the policy's name.
     * @param reason      the decision's reason, e.g. "HOST_PRESSURE".
     * @param currentKib  the domain's memory when the round started.
     * @param previousKib its target before.
     * @param proposedKib what the policy proposed.
     * @param targetKib   the target after the engine's clamps.
     * @param applied     whether the target was written to {@code memory/target}.
     * @param detail      the policy's and the clamps' explanation.
     */
    public void balloonDecision(final int domid, final CharSequence policy, final CharSequence reason, final long currentKib,
        final long previousKib, final long proposedKib, final long targetKib, final boolean applied, final CharSequence detail)
    {
        if (!lifecycleEnabled)
        {
            return; // before the lambda: an OFF tracer allocates nothing
        }
        append(TraceRecordType.BALLOON_DECISION, domid, wire ->
        {
            wire.write(POLICY).text(policy);
            wire.write(REASON).text(reason);
            wire.write(CURRENT).int64(currentKib);
            wire.write(PREVIOUS).int64(previousKib);
            wire.write(PROPOSED).int64(proposedKib);
            wire.write(TARGET).int64(targetKib);
            wire.write(APPLIED).int8(applied ? (byte)1 : (byte)0);
            wire.write(DETAIL).text(detail);
        });
    }

    /**
     * Records how one change of a domain's {@code memory/target} ended.
     *
     * @param domid        the domain.
     * @param outcome      the outcome, lower case, e.g. "reached".
     * @param requestedKib the target written, or -1 when it was not a KiB count.
     * @param effectiveKib what the domain was held to.
     * @param startKib     its memory when the change was seen.
     * @param currentKib   its memory at the report.
     * @param elapsedMs    from the change to reaching the target, or to the report.
     * @param detail       why.
     */
    public void balloonReport(final int domid, final CharSequence outcome, final long requestedKib, final long effectiveKib,
        final long startKib, final long currentKib, final long elapsedMs, final CharSequence detail)
    {
        if (!lifecycleEnabled)
        {
            return; // before the lambda: an OFF tracer allocates nothing
        }
        append(TraceRecordType.BALLOON_REPORT, domid, wire ->
        {
            wire.write(OUTCOME).text(outcome);
            wire.write(REQUESTED).int64(requestedKib);
            wire.write(EFFECTIVE).int64(effectiveKib);
            wire.write(START).int64(startKib);
            wire.write(CURRENT).int64(currentKib);
            wire.write(ELAPSED_MS).int64(elapsedMs);
            wire.write(DETAIL).text(detail);
        });
    }

    /**
     * Records a CPU scheduler event: enforcement, a live change of a domain's parameters or of the
     * host's settings, or a guest's slice request. Pass a constant string for {@code event}.
     *
     * @param domid  the domain (0 for a host settings change).
     * @param vcpu   the vCPU, -1 for a domain or host change.
     * @param event  "overrun", "suspended", "resumed", "adjusted" (a domain's weight, cap or slice),
     *               "settings" (the host's slice or rate limit) or "slice" (a guest's slice request).
     * @param ns     overrun: ns since the preempt flag; suspended: the penalty; slice: the slice in effect; else 0.
     * @param count  overruns of the vCPU within the window; else 0.
     * @param detail why; for a change, old -> new and who made it.
     */
    public void sched(final int domid, final int vcpu, final CharSequence event, final long ns, final long count,
        final CharSequence detail)
    {
        if (!lifecycleEnabled)
        {
            return; // before the lambda: an OFF tracer allocates nothing
        }
        append(TraceRecordType.SCHED, domid, wire ->
        {
            wire.write(VCPU).int32(vcpu);
            wire.write(EVENT).text(event);
            wire.write(NS).int64(ns);
            wire.write(COUNT).int64(count);
            wire.write(DETAIL).text(detail);
        });
    }

    /**
     * Closes the appender and the queue; later records are dropped. Idempotent; any thread.
     */
    @Override
    public void close()
    {
        if (queue == null)
        {
            return;
        }
        synchronized (lock)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            appender.close();
            queue.close();
        }
    }

    /** Append one record under the lock, unless the tracer is closed; the body writes its fields. */
    private void append(final TraceRecordType type, final int domid, final Consumer<Wire> body)
    {
        synchronized (lock)
        {
            if (closed)
            {
                return;
            }
            try (DocumentContext dc = appender.writingDocument())
            {
                body.accept(header(dc, type, domid));
            }
        }
    }

    private Wire header(final DocumentContext dc, final TraceRecordType type, final int domid)
    {
        final Wire wire = dc.wire();
        wire.write(TYPE).int8(type.code());
        wire.write(SEQ).int64(++lastSeq);
        wire.write(TIMESTAMP).int64(clock.nanoTime());
        wire.write(DOMID).int32(domid);
        return wire;
    }

    private static ExcerptAppender openAppender(final ChronicleQueue queue)
    {
        final ExcerptAppender appender = queue.createAppender();
        // Shared by the dispatcher and API threads under our lock, so Chronicle's owner-thread check does not apply.
        appender.singleThreadedCheckDisabled(true);
        return appender;
    }

    private static long lastSequence(final ChronicleQueue queue)
    {
        try (ExcerptTailer tailer = queue.createTailer())
        {
            tailer.direction(TailerDirection.BACKWARD).toEnd();
            try (DocumentContext dc = tailer.readingDocument())
            {
                if (!dc.isPresent())
                {
                    return 0;
                }
                dc.wire().read(TYPE).int8();
                return dc.wire().read(SEQ).int64();
            }
        }
    }
}
