package org.coopvm.perf.balloon;

import org.coopvm.perf.RunDirs;
import org.coopvm.perf.BenchmarkRun;
import org.coopvm.perf.report.Figure;
import org.coopvm.perf.report.Figures;
import org.coopvm.perf.report.Metric;
import org.coopvm.perf.report.RingsReport;
import org.coopvm.perf.report.RunInfo;
import org.coopvm.perf.report.Subject;
import org.coopvm.perf.report.WaitMode;
import org.coopvm.rings.mem.Pages;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The whole {@code coop bench balloon} measurement, in one run: one guest ({@link BalloonGuestRun})
 * whose memory is all touched, inflated by the configured amount through the real path and
 * deflated back, for the configured rounds; then the mechanism floor on this machine
 * ({@link MechanismFloor}: one punch of a mapped tmpfs file, one {@code madvise(MADV_DONTNEED)}),
 * the same amount each round; and the virtio-balloon anchors as recorded figures. Seconds
 * are medians over the rounds, GiB/s follow from them, the returned fraction is the worst round.
 * A measurement that fails is recorded in the report and the run goes on; the run directory, its
 * files and mappings and the guest's threads are gone when {@link #run} returns. Never prints:
 * progress goes to the given listener. Blocks the calling thread for the whole run.
 */
public final class BalloonBenchmark
{
    /** The anchor: virtio-balloon inflated 7 GB (decimal) ... */
    static final double VIRTIO_BYTES = 7e9;
    /** ... in 4.1 s ... */
    static final double VIRTIO_SECONDS = 4.1;
    /** ... or in 0.49 s with scatter-gather. */
    static final double VIRTIO_SG_SECONDS = 0.49;
    private static final double GIB = 1024.0 * 1024.0 * 1024.0;
    private static final int WARMUP_MIB = 64;

    private final BalloonBenchmarkConfig config;
    private final Consumer<String> progress;
    private final List<Figure> figures = new ArrayList<>();
    private final BenchmarkRun benchRun;
    private final List<String> rounds = new ArrayList<>();

    private BalloonBenchmark(final BalloonBenchmarkConfig config, final Consumer<String> progress)
    {
        this.config = config;
        this.progress = progress;
        this.benchRun = new BenchmarkRun(progress);
    }

    /**
     * @param config   sizes, rounds, where the files go.
     * @param progress receives one line per step, for the command to print.
     * @return every figure, the goals ({@link BalloonGoals}) and any failures.
     */
    public static RingsReport run(final BalloonBenchmarkConfig config, final Consumer<String> progress)
    {
        return new BalloonBenchmark(config, progress).run();
    }

    private RingsReport run()
    {
        final Path dir = RunDirs.create(config.runDir(), "balloonbench-");
        try
        {
            benchRun.measure("balloon: " + config.inflateMib() + " MiB inflated and deflated in one guest, " + config.rounds() + " round(s)",
                () -> balloon(dir));
            benchRun.measure("floor: fallocate PUNCH_HOLE of " + config.inflateMib() + " MiB, mapped tmpfs file",
                () -> floor(Subject.PUNCH_HOLE, () -> MechanismFloor.punchHole(dir, config.inflateBytes())));
            benchRun.measure("floor: madvise MADV_DONTNEED of " + config.inflateMib() + " MiB anonymous memory",
                () -> floor(Subject.MADV_DONTNEED, () -> MechanismFloor.madviseDontNeed(config.inflateBytes())));
        }
        finally
        {
            RunDirs.deleteTree(dir);
        }
        recorded(Subject.VIRTIO_BALLOON, VIRTIO_SECONDS);
        recorded(Subject.VIRTIO_BALLOON_SG, VIRTIO_SG_SECONDS);
        final RunInfo run = benchRun.finish(config.command(), config.mode(), notes());
        return new RingsReport(run, figures, BalloonGoals.standard());
    }

    private void balloon(final Path dir)
    {
        final long inflatePages = config.inflateBytes() / Pages.PAGE_SIZE;
        final List<Double> inflate = new ArrayList<>();
        final List<Double> deflate = new ArrayList<>();
        double worstReturned = Double.MAX_VALUE;
        try (BalloonGuestRun guest = BalloonGuestRun.start(dir, config.inflateMib() + config.headroomMib()))
        {
            final long full = guest.populatedPages();
            final long warmupPages = Math.min(inflatePages, WARMUP_MIB * 256L);
            guest.moveTo(full - warmupPages, config.timeout());
            guest.moveTo(full, config.timeout());
            for (int round = 1; round <= config.rounds(); round++)
            {
                guest.touchPopulated();
                final long before = guest.residentBytes();
                final long discardsBefore = guest.discardCalls();
                final BalloonGuestRun.Move in = guest.moveTo(full - inflatePages, config.timeout());
                final long after = guest.residentBytes();
                final long discards = guest.discardCalls() - discardsBefore;
                final BalloonGuestRun.Move out = guest.moveTo(full, config.timeout());
                final long deflateDiscards = guest.discardCalls() - discardsBefore - discards;
                final double returned = (double)(before - after) / config.inflateBytes();
                inflate.add(in.seconds());
                deflate.add(out.seconds());
                worstReturned = Math.min(worstReturned, returned);
                final String line = String.format(Locale.ROOT, "round %d: inflate %.3f s (%d decrease_reservation calls, %d " +
                    "punches), deflate %.3f s (%d populate_physmap calls, %d punches), resident %,d -> %,d bytes, returned %.2f%%",
                    round, in.seconds(), in.calls(), discards, out.seconds(), out.calls(), deflateDiscards, before, after, returned * 100);
                rounds.add(line);
                progress.accept(line);
            }
        }
        ours(Subject.BALLOON_INFLATE, Figures.median(inflate));
        ours(Subject.BALLOON_DEFLATE, Figures.median(deflate));
        figures.add(new Figure(Subject.BALLOON_INFLATE, Metric.RETURNED_FRACTION, BalloonGoals.SCOPE, BalloonGoals.OURS_WAIT,
            worstReturned));
    }

    private void floor(final Subject subject, final FloorCall call)
    {
        final List<Double> seconds = new ArrayList<>();
        double worstReturned = Double.MAX_VALUE;
        for (int round = 0; round < config.rounds(); round++)
        {
            final MechanismFloor.Call result = call.run();
            seconds.add(result.seconds());
            worstReturned = Math.min(worstReturned, result.returned());
        }
        final WaitMode wait = BalloonGoals.OURS_WAIT.peerMode();
        final double median = Figures.median(seconds);
        figures.add(new Figure(subject, Metric.SECONDS, BalloonGoals.SCOPE, wait, median));
        figures.add(new Figure(subject, Metric.GIB_PER_SECOND, BalloonGoals.SCOPE, wait, config.inflateBytes() / GIB / median));
        figures.add(new Figure(subject, Metric.RETURNED_FRACTION, BalloonGoals.SCOPE, wait, worstReturned));
        progress.accept(String.format(Locale.ROOT, "%s: %.4f s (median of %d)", subject.displayName(), median, seconds.size()));
    }

    private void ours(final Subject subject, final double seconds)
    {
        figures.add(new Figure(subject, Metric.SECONDS, BalloonGoals.SCOPE, BalloonGoals.OURS_WAIT, seconds));
        figures.add(new Figure(subject, Metric.GIB_PER_SECOND, BalloonGoals.SCOPE, BalloonGoals.OURS_WAIT,
            config.inflateBytes() / GIB / seconds));
    }

    private void recorded(final Subject subject, final double seconds)
    {
        figures.add(new Figure(subject, Metric.GIB_PER_SECOND, BalloonGoals.SCOPE, BalloonGoals.OURS_WAIT.peerMode(),
            VIRTIO_BYTES / GIB / seconds));
    }

    private List<String> notes()
    {
        final List<String> notes = new ArrayList<>();
        notes.add(benchRun.loadNote("skews every figure"));
        notes.add(String.format(Locale.ROOT, "guest: one domain of %d MiB (memory = maxmem, 1 vCPU, workload %s, which " +
            "leaves every page free), memory a sparse file in a fresh run directory under %s; a real Hypervisor (dispatcher " +
            "thread, xenstored, default waits) and the real guest kernel with its balloon driver, booted in this JVM on its own " +
            "mappings of the domain's files as a process guest boots", config.inflateMib() + config.headroomMib(),
            BalloonGuestRun.WORKLOAD, config.runDir()));
        notes.add(String.format(Locale.ROOT, "each round: every page written through dom0's mapping of the memory file, then " +
            "memory/target lowered by %d MiB (inflate) and raised back (deflate); each timed from dom0's xenstore write to the " +
            "reservation hypercall after which the domain holds the target (a reservation listener on the dispatcher thread); " +
            "seconds are the median of %d round(s) after an untimed warm-up move of up to %d MiB", config.inflateMib(),
            config.rounds(), WARMUP_MIB));
        notes.add("returned = drop of the memory file's allocated bytes (fstat st_blocks, as coop list's Resident) across the " +
            "inflate / bytes inflated, worst round; a deflate populates holes, which the guest faults in only when it writes them");
        notes.add("floor: one system call on the same amount, median of the same number of rounds: fallocate(PUNCH_HOLE|" +
            "KEEP_SIZE) of a tmpfs file mapped shared and touched (the hypervisor's call, with the guest's mapping to tear " +
            "down too), and madvise(MADV_DONTNEED) of touched private anonymous memory (Firecracker's call)");
        notes.add(String.format(Locale.ROOT, "recorded, not measured here: issue 5's virtio-balloon anchors, 7 GB inflated in " +
            "%.1f s (1.7 GB/s) and in %.2f s with scatter-gather, converted to GiB/s taking GB as 10^9 bytes", VIRTIO_SECONDS,
            VIRTIO_SG_SECONDS));
        notes.addAll(rounds);
        return notes;
    }

    @FunctionalInterface
    private interface FloorCall
    {
        MechanismFloor.Call run();
    }
}
