package org.coopvm.hypervisor.trace;

import static org.coopvm.hypervisor.trace.TraceSchema.CMD;
import static org.coopvm.hypervisor.trace.TraceSchema.CODE;
import static org.coopvm.hypervisor.trace.TraceSchema.COUNT;
import static org.coopvm.hypervisor.trace.TraceSchema.NS;
import static org.coopvm.hypervisor.trace.TraceSchema.DETAIL;
import static org.coopvm.hypervisor.trace.TraceSchema.DOMID;
import static org.coopvm.hypervisor.trace.TraceSchema.EVENT;
import static org.coopvm.hypervisor.trace.TraceSchema.EXTENTS;
import static org.coopvm.hypervisor.trace.TraceSchema.LATENCY_NS;
import static org.coopvm.hypervisor.trace.TraceSchema.OP;
import static org.coopvm.hypervisor.trace.TraceSchema.ORDER;
import static org.coopvm.hypervisor.trace.TraceSchema.PAGES;
import static org.coopvm.hypervisor.trace.TraceSchema.RESULT;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.chronicle.wire.Wire;

/**
 * Reads a trace queue, read-only, from its start: works while the host is writing it and after
 * the host stopped. Records of a type this reader does not know (a newer writer) are skipped and
 * counted. Not thread safe: one thread opens, reads and closes a reader.
 */
public final class TraceReader implements AutoCloseable
{
    private final Path queueDir;
    private final ChronicleQueue queue;
    private long unknownRecords;

    private TraceReader(final Path queueDir, final ChronicleQueue queue)
    {
        this.queueDir = queueDir;
        this.queue = queue;
    }

    /**
     * Opens the trace of a run directory, at {@code runDir/trace}.
     *
     * @see #open(Path)
     */
    public static TraceReader openInRunDir(final Path runDir)
    {
        return open(runDir.resolve(TraceSchema.TRACE_DIR_NAME));
    }

    /**
     * Opens a trace queue for reading without changing it.
     *
     * @param queueDir the queue directory.
     * @return the reader; close it.
     * @throws TraceNotFoundException if the directory does not exist or holds no queue file.
     * @throws IllegalStateException  if Chronicle analytics are not disabled in this JVM.
     */
    public static TraceReader open(final Path queueDir)
    {
        requireQueueFiles(queueDir);
        ChronicleSafety.requireAnalyticsDisabled(queueDir);
        return new TraceReader(queueDir, ChronicleQueue.singleBuilder(queueDir).readOnly(true).build());
    }

    /**
     * @return the queue directory read.
     */
    public Path queueDir()
    {
        return queueDir;
    }

    /**
     * Passes every record that matches {@code filter} to {@code sink}, oldest first.
     *
     * @param filter which records.
     * @param sink   receives them.
     * @return how many records matched.
     */
    public long forEach(final TraceFilter filter, final Consumer<? super TraceRecord> sink)
    {
        long matched = 0;
        try (ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        return matched;
                    }
                    final TraceRecord record = decode(dc.wire(), filter);
                    if (record != null)
                    {
                        sink.accept(record);
                        matched++;
                    }
                }
            }
        }
    }

    /**
     * @param filter which records.
     * @return the records that match {@code filter}, oldest first.
     */
    public List<TraceRecord> read(final TraceFilter filter)
    {
        final List<TraceRecord> records = new ArrayList<>();
        forEach(filter, records::add);
        return records;
    }

    /**
     * @return how many records of unknown type the reads so far skipped.
     */
    public long unknownRecords()
    {
        return unknownRecords;
    }

    @Override
    public void close()
    {
        queue.close();
    }

    private TraceRecord decode(final Wire wire, final TraceFilter filter)
    {
        final TraceRecordType type = TraceRecordType.fromCode(wire.read(TYPE).int8());
        final long seq = wire.read(SEQ).int64();
        final long timestampNs = wire.read(TIMESTAMP).int64();
        final int domid = wire.read(DOMID).int32();
        if (type == null)
        {
            unknownRecords++;
            return null;
        }
        if (!filter.matches(type, domid, timestampNs))
        {
            return null;
        }
        return switch (type)
        {
            case LIFECYCLE -> decodeLifecycle(wire, seq, timestampNs, domid);
            case HYPERCALL -> new TraceRecord.Hypercall(seq, timestampNs, domid, wire.read(VCPU).int32(),
                wire.read(OP).text(), wire.read(CMD).text(), wire.read(RESULT).int32(), wire.read(LATENCY_NS).int64());
            case FAULT -> new TraceRecord.Fault(seq, timestampNs, domid, wire.read(WHAT).text(), wire.read(COUNT).int64());
            case MEMORY -> new TraceRecord.Memory(seq, timestampNs, domid, wire.read(CMD).text(), wire.read(EXTENTS).int64(),
                wire.read(ORDER).int32(), wire.read(RESULT).int64(), wire.read(PAGES).int64());
            case BALLOON_DECISION -> new TraceRecord.BalloonDecision(seq, timestampNs, domid, wire.read(POLICY).text(),
                wire.read(REASON).text(), wire.read(CURRENT).int64(), wire.read(PREVIOUS).int64(), wire.read(PROPOSED).int64(),
                wire.read(TARGET).int64(), wire.read(APPLIED).int8() != 0, wire.read(DETAIL).text());
            case BALLOON_REPORT -> new TraceRecord.BalloonReport(seq, timestampNs, domid, wire.read(OUTCOME).text(),
                wire.read(REQUESTED).int64(), wire.read(EFFECTIVE).int64(), wire.read(START).int64(), wire.read(CURRENT).int64(),
                wire.read(ELAPSED_MS).int64(), wire.read(DETAIL).text());
            case SCHED -> new TraceRecord.Sched(seq, timestampNs, domid, wire.read(VCPU).int32(), wire.read(EVENT).text(),
                wire.read(NS).int64(), wire.read(COUNT).int64(), wire.read(DETAIL).text());
        };
    }

    private TraceRecord decodeLifecycle(final Wire wire, final long seq, final long timestampNs, final int domid)
    {
        final LifecycleEvent event = LifecycleEvent.fromCode(wire.read(EVENT).int8());
        if (event == null)
        {
            unknownRecords++;
            return null;
        }
        return new TraceRecord.Lifecycle(seq, timestampNs, domid, event, wire.read(CODE).int64(), wire.read(DETAIL).text());
    }

    private static void requireQueueFiles(final Path queueDir)
    {
        if (!Files.isDirectory(queueDir))
        {
            throw new TraceNotFoundException("no trace at " + queueDir + ": the directory does not exist" +
                " (a host writes it when started with a trace level other than off)");
        }
        try (Stream<Path> files = Files.list(queueDir))
        {
            if (files.noneMatch(file -> file.getFileName().toString().endsWith(".cq4")))
            {
                throw new TraceNotFoundException("no trace at " + queueDir + ": the directory holds no queue file (*.cq4)");
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list the trace directory " + queueDir, ex);
        }
    }
}
