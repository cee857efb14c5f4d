package org.coopvm.examples.workload;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The {@code disk-bench} workload's arguments, validated once (an error names the key):
 *
 * <ul>
 * <li>{@code disk} (default {@code xvda}): the virtual disk.</li>
 * <li>{@code pattern} (default {@code randread}): {@code read}, {@code write} (sequential),
 * {@code randread}, {@code randwrite}, {@code randrw} (fio's names).</li>
 * <li>{@code bs_kib} (default 4): block size, 1..1024 KiB (a multiple of the 512-byte sector).</li>
 * <li>{@code qd} (default 32): requests kept in flight, 1..512.</li>
 * <li>{@code read_percent} (default 50): share of reads for {@code randrw}, 0..100.</li>
 * <li>{@code size_mib} (default 0 = the whole disk): the region at the start of the disk used.</li>
 * <li>{@code seconds} (default 10; 0 = until shut down): run time, then a summary and a poweroff.</li>
 * <li>{@code report_ms} (default 1000): period of the figures in xenstore, 100..60000.</li>
 * <li>{@code flush_at_end} (default true): a flush after the last write, counted in the run.</li>
 * <li>{@code seed} (default 1): the offsets' seed.</li>
 * </ul>
 *
 * <p>Thread safety: immutable.
 *
 * @param disk         the disk's name.
 * @param pattern      the access pattern.
 * @param blockBytes   bytes per request.
 * @param queueDepth   requests in flight.
 * @param readPercent  reads in a mixed pattern.
 * @param regionBytes  bytes of the disk used, 0 for all.
 * @param runNs        run time, 0 for ever.
 * @param reportNs     figures period.
 * @param flushAtEnd   flush when done.
 * @param seed         random seed.
 */
record DiskBenchConfig(String disk, Pattern pattern, int blockBytes, int queueDepth, int readPercent, long regionBytes, long runNs,
    long reportNs, boolean flushAtEnd, long seed)
{
    /** The arguments the workload reads. */
    static final Set<String> KEYS = Set.of("disk", "pattern", "bs_kib", "qd", "read_percent", "size_mib", "seconds", "report_ms",
        "flush_at_end", "seed");

    /** How offsets and operations are chosen. */
    enum Pattern
    {
        /** Sequential reads. */
        READ(true),
        /** Sequential writes. */
        WRITE(true),
        /** Random reads. */
        RANDREAD(false),
        /** Random writes. */
        RANDWRITE(false),
        /** Random reads and writes, {@code read_percent} of them reads. */
        RANDRW(false);

        private final boolean sequential;

        Pattern(final boolean sequential)
        {
            this.sequential = sequential;
        }

        /** @return whether offsets follow each other (else they are random). */
        boolean sequential()
        {
            return sequential;
        }

        /** @return the name a config uses. */
        String argName()
        {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param args the domain config's workload arguments.
     * @return the validated configuration.
     * @throws IllegalArgumentException naming the key that is unknown, malformed or out of range.
     */
    static DiskBenchConfig from(final Map<String, String> args)
    {
        WorkloadArgs.requireKnown(args, KEYS, "disk-bench");
        return new DiskBenchConfig(
            args.getOrDefault("disk", "xvda"),
            pattern(args.getOrDefault("pattern", "randread")),
            (int)WorkloadArgs.longArg(args, "bs_kib", 4, 1, 1024) * 1024,
            (int)WorkloadArgs.longArg(args, "qd", 32, 1, 512),
            (int)WorkloadArgs.longArg(args, "read_percent", 50, 0, 100),
            WorkloadArgs.longArg(args, "size_mib", 0, 0, 1L << 30) << 20,
            TimeUnit.SECONDS.toNanos(WorkloadArgs.longArg(args, "seconds", 10, 0, 86_400)),
            TimeUnit.MILLISECONDS.toNanos(WorkloadArgs.longArg(args, "report_ms", 1000, 100, 60_000)),
            WorkloadArgs.booleanArg(args, "flush_at_end", true),
            WorkloadArgs.longArg(args, "seed", 1));
    }

    /** @return one line for the console. */
    String describe()
    {
        return pattern.argName() + " " + blockBytes / 1024 + " KiB, queue depth " + queueDepth + " on " + disk +
            (runNs > 0 ? ", for " + TimeUnit.NANOSECONDS.toSeconds(runNs) + " s" : ", until shut down");
    }

    private static Pattern pattern(final String text)
    {
        for (final Pattern pattern : Pattern.values())
        {
            if (pattern.argName().equals(text))
            {
                return pattern;
            }
        }
        throw new IllegalArgumentException("workload argument pattern=" + text + " is not read, write, randread, randwrite or randrw");
    }
}
