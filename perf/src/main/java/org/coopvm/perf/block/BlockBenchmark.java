package org.coopvm.perf.block;

import org.coopvm.perf.RunDirs;
import org.coopvm.perf.BenchmarkRun;
import org.coopvm.perf.report.Figure;
import org.coopvm.perf.report.Figures;
import org.coopvm.perf.report.Metric;
import org.coopvm.perf.report.RingsReport;
import org.coopvm.perf.report.RunInfo;
import org.coopvm.perf.report.Subject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The whole {@code coop bench block} measurement, in one run: an image file on tmpfs, filled with
 * data; one guest ({@link BlockGuestRun}) with the image as its disk; then, for each case (4 KiB
 * random read and write, 64 KiB sequential read and write), in each round, the case straight
 * through {@link FileChannel} from one thread ({@link DirectIo}) and through blkfront, the blkif
 * ring and dom0's blkback ({@link GuestIo}), alternating, on the same file. Figures are medians over
 * the rounds; the goals ({@link BlockGoals}) are ratios between the two. A measurement that fails
 * is recorded and the run goes on; the run directory, its files and the guest are gone when
 * {@link #run} returns. Never prints: progress goes to the given listener. Blocks the calling
 * thread for the whole run.
 */
public final class BlockBenchmark
{
    private final BlockBenchmarkConfig config;
    private final Consumer<String> progress;
    private final List<Figure> figures = new ArrayList<>();
    private final BenchmarkRun benchRun;
    private final List<String> lines = new ArrayList<>();
    private final Map<Subject, List<IoCase.Result>> results = new EnumMap<>(Subject.class);
    private int ringEntries;
    private int segmentsPerRequest;

    private BlockBenchmark(final BlockBenchmarkConfig config, final Consumer<String> progress)
    {
        this.config = config;
        this.progress = progress;
        this.benchRun = new BenchmarkRun(progress);
    }

    /**
     * @param config   sizes, times, rounds, where the files go.
     * @param progress receives one line per step, for the command to print.
     * @return every figure, the goals and any failures.
     */
    public static RingsReport run(final BlockBenchmarkConfig config, final Consumer<String> progress)
    {
        return new BlockBenchmark(config, progress).run();
    }

    private RingsReport run()
    {
        final Path dir = RunDirs.create(config.runDir(), "blockbench-");
        try
        {
            measureAll(dir);
        }
        catch (final RuntimeException ex)
        {
            benchRun.failed("setup", ex);
        }
        finally
        {
            RunDirs.deleteTree(dir);
        }
        results.forEach(this::addFigures);
        final RunInfo run = benchRun.finish(config.command(), config.mode(), notes());
        return new RingsReport(run, figures, BlockGoals.standard());
    }

    private void measureAll(final Path dir)
    {
        final Path image = dir.resolve("disk.img");
        final long imageBytes = config.imageMib() * 1024L * 1024L;
        try (FileChannel file = FileChannel.open(image, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            progress.accept("image: " + config.imageMib() + " MiB in " + dir + ", filled with data");
            DirectIo.fill(file, imageBytes);
            try (BlockGuestRun guest = BlockGuestRun.start(dir, image))
            {
                ringEntries = guest.ringEntries();
                segmentsPerRequest = guest.maxSegmentsPerRequest();
                for (int round = 1 - config.warmUpRounds(); round <= config.rounds(); round++) // rounds below 1 warm up
                {
                    for (final IoCase ioCase : IoCase.ALL)
                    {
                        measure(ioCase, round, file, guest, imageBytes / ioCase.blockBytes());
                    }
                }
                if (guest.backendErrors() != 0)
                {
                    benchRun.failure("the backend answered " + guest.backendErrors() + " request(s) with an error");
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("the image in " + dir + ": " + ex.getMessage(), ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }

    private void measure(final IoCase ioCase, final int round, final FileChannel file, final BlockGuestRun guest, final long blocks)
    {
        final long durationNs = config.measurement().toNanos();
        final int qd = ioCase.random() ? config.randomQd() : config.sequentialQd();
        try
        {
            final IoCase.Result direct = DirectIo.run(file, ioCase, blocks, durationNs, round);
            record(ioCase.direct(), direct, ioCase, round, "one thread");
            final BackendHops before = BackendHops.of(guest.counters());
            final IoCase.Result ours = guest.run(ioCase, blocks, qd, durationNs, round);
            record(ioCase.ours(), ours, ioCase, round, "queue depth " + qd + "; " + BackendHops.of(guest.counters()).since(before).describe());
            if (ours.errors() != 0)
            {
                benchRun.failure(ioCase.name() + " round " + round + ": " + ours.errors() + " request(s) failed in the guest");
            }
        }
        catch (final RuntimeException ex)
        {
            benchRun.failed(ioCase.name() + " round " + round, ex);
        }
    }

    private void record(final Subject subject, final IoCase.Result result, final IoCase ioCase, final int round, final String how)
    {
        if (round >= 1)
        {
            results.computeIfAbsent(subject, s -> new ArrayList<>()).add(result);
        }
        final String line = String.format(Locale.ROOT, "%s %s, %s (%s): %,d ops in %.2f s, %,.0f IOPS, %.1f MB/s",
            round >= 1 ? "round " + round : "warm-up (not counted)", ioCase.name(), subject.displayName(), how, result.ops(),
            result.seconds(), result.opsPerSecond(),
            result.megabytesPerSecond(ioCase.blockBytes()));
        lines.add(line);
        progress.accept(line);
    }

    private void addFigures(final Subject subject, final List<IoCase.Result> measured)
    {
        final IoCase ioCase = caseOf(subject);
        final double iops = Figures.median(measured.stream().map(IoCase.Result::opsPerSecond).toList());
        figures.add(new Figure(subject, Metric.OPS_PER_SECOND, BlockGoals.SCOPE, BlockGoals.WAIT, iops));
        figures.add(new Figure(subject, Metric.MB_PER_SECOND, BlockGoals.SCOPE, BlockGoals.WAIT, iops * ioCase.blockBytes() / 1e6));
    }

    private static IoCase caseOf(final Subject subject)
    {
        for (final IoCase ioCase : IoCase.ALL)
        {
            if (ioCase.ours() == subject || ioCase.direct() == subject)
            {
                return ioCase;
            }
        }
        throw new IllegalArgumentException(subject.name());
    }

    private List<String> notes()
    {
        final List<String> notes = new ArrayList<>();
        notes.add(benchRun.loadNote("skews every figure"));
        notes.add(String.format(Locale.ROOT, "image: %d MiB raw file in a fresh run directory under %s (tmpfs), written with " +
            "data before the first measurement; every case runs on that same file, offsets block-aligned, random ones uniform " +
            "over the whole image, sequential ones wrapping at its end", config.imageMib(), config.runDir()));
        notes.add(String.format(Locale.ROOT, "ours: one guest (64 MiB, 1 vCPU) with the image as xvda, a real Hypervisor and " +
            "dom0's block backend in this JVM, the guest kernel booted on its own mappings of the domain's files as a process " +
            "guest boots; requests submitted on vCPU 0 and resubmitted from each completion (on vCPU 0) so %d (4 KiB random) or " +
            "%d (64 KiB sequential) stay in flight; a ring of %d entries, at most %d pages per ring request (%s), persistent " +
            "grants (each slot's buffer granted once); the backend's ring agent thread does positional FileChannel I/O into the " +
            "mapped guest pages", config.randomQd(), config.sequentialQd(), ringEntries, segmentsPerRequest,
            segmentsPerRequest > 11 ? "indirect requests: 64 KiB is one" : "64 KiB is two"));
        notes.add("direct: the same case from one thread, positional FileChannel read/write of a direct ByteBuffer, one " +
            "request at a time, nothing else in between; MB = 10^6 bytes");
        notes.add(String.format(Locale.ROOT, "each measurement runs %.1f s (timed from the first submission to the last " +
            "completion); direct and ours alternate per case; %d warm-up round(s) first, not counted (the JIT compiles both " +
            "paths); figures are medians of %d round(s)", config.measurement().toMillis() / 1000.0, config.warmUpRounds(),
            config.rounds()));
        notes.addAll(lines);
        return notes;
    }
}
