package org.coopvm.cli.trace;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

import org.coopvm.cli.RunDirOption;
import org.coopvm.hypervisor.trace.TraceFilter;
import org.coopvm.hypervisor.trace.TraceFormat;
import org.coopvm.hypervisor.trace.TraceNotFoundException;
import org.coopvm.hypervisor.trace.TraceReader;
import org.coopvm.hypervisor.trace.TraceRecord;
import org.coopvm.hypervisor.trace.TraceRecordType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code coop trace dump}: prints a host's trace, one line per record, reading the queue files
 * directly (so it works whether or not the host is running). Runs on the CLI's main thread.
 */
@Command(name = "trace", mixinStandardHelpOptions = true,
    description = "Read the host's trace (lifecycle, hypercalls, guest faults, memory reservations, balloon decisions and reports).")
public final class TraceCommand
{
    /** Exit code when there is no trace to read. */
    public static final int EXIT_NO_TRACE = 1;

    @Spec
    private CommandSpec spec;

    /**
     * Prints the records that match the options.
     *
     * @return 0, or {@link #EXIT_NO_TRACE} if the queue is missing.
     */
    @Command(name = "dump", mixinStandardHelpOptions = true, description = {
        "Print trace records, oldest first, as text lines (or JSON lines with --json).",
        "Text: <time> seq=N dom=D TYPE key=value..., e.g.",
        "  2026-11-27T14:01:02.123456789Z seq=12 dom=3 HYPERCALL vcpu=0 op=event_channel_op cmd=send result=0 latency_ns=5300"})
    int dump(
        @Option(names = "--run-dir", paramLabel = "DIR",
            description = "Run directory whose trace/ to read (default: $COOP_RUN_DIR, else /dev/shm/coopvm-<user>).")
        final Path runDir,
        @Option(names = "--queue", paramLabel = "DIR", description = "Read this queue directory instead.")
        final Path queueDir,
        @Option(names = "--domain", paramLabel = "ID", description = "Only records of this domain (0 is the host).")
        final Integer domid,
        @Option(names = "--type", paramLabel = "TYPE", description = "Only records of this type: lifecycle, hypercall, fault, memory, balloon-decision, balloon-report or sched.")
        final String type,
        @Option(names = "--since", paramLabel = "INSTANT", description = "Only records at or after this time, e.g. 2026-11-27T14:00:00Z.")
        final String since,
        @Option(names = "--until", paramLabel = "INSTANT", description = "Only records before this time.")
        final String until,
        @Option(names = "--json", description = "One JSON object per line.")
        final boolean json)
    {
        final Path queue = queueDir(runDir, queueDir);
        final TraceFilter filter = filter(domid, type, since, until);
        final Function<TraceRecord, String> format = json ? TraceFormat::json : TraceFormat::text;
        final PrintWriter out = spec.commandLine().getOut();
        try (TraceReader reader = TraceReader.open(queue))
        {
            final long matched = reader.forEach(filter, record -> out.println(format.apply(record)));
            out.flush();
            if (matched == 0)
            {
                spec.commandLine().getErr().println("coop trace dump: no record in " + queue + " matches");
            }
            if (reader.unknownRecords() > 0)
            {
                spec.commandLine().getErr().println("coop trace dump: skipped " + reader.unknownRecords() +
                    " records of a type this coop does not know (written by a newer CoopVM)");
            }
            return 0;
        }
        catch (final TraceNotFoundException ex)
        {
            spec.commandLine().getErr().println("coop trace dump: " + ex.getMessage());
            return EXIT_NO_TRACE;
        }
    }

    private Path queueDir(final Path runDir, final Path queueDir)
    {
        if (runDir != null && queueDir != null)
        {
            throw new ParameterException(spec.commandLine(), "give --run-dir or --queue, not both");
        }
        if (queueDir != null)
        {
            return queueDir;
        }
        return (runDir != null ? runDir : RunDirOption.resolve(spec)).resolve("trace");
    }

    private TraceFilter filter(final Integer domid, final String type, final String since, final String until)
    {
        try
        {
            TraceFilter filter = TraceFilter.ALL.withTimeRange(epochNs(since, Long.MIN_VALUE), epochNs(until, Long.MAX_VALUE));
            if (domid != null)
            {
                filter = filter.withDomain(domid);
            }
            return type == null ? filter : filter.withType(TraceRecordType.parse(type));
        }
        catch (final IllegalArgumentException | DateTimeParseException ex)
        {
            throw new ParameterException(spec.commandLine(), ex.getMessage(), ex);
        }
    }

    private static long epochNs(final String instant, final long unset)
    {
        if (instant == null)
        {
            return unset;
        }
        final Instant parsed = Instant.parse(instant);
        return Math.addExact(Math.multiplyExact(parsed.getEpochSecond(), 1_000_000_000L), parsed.getNano());
    }
}
