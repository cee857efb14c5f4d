package org.coopvm.perf.net;

import org.coopvm.drivers.net.VifCounters;
import org.coopvm.perf.RunDirs;
import org.coopvm.perf.latency.PingPongVariant;
import org.coopvm.perf.latency.ProcessPairRoundTrip;
import org.coopvm.perf.latency.RoundTripPlan;
import org.coopvm.perf.latency.RoundTripResult;
import org.coopvm.perf.BenchmarkRun;
import org.coopvm.perf.report.Figure;
import org.coopvm.perf.report.Figures;
import org.coopvm.perf.report.Metric;
import org.coopvm.perf.report.RingsReport;
import org.coopvm.perf.report.RunInfo;
import org.coopvm.perf.report.Subject;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The whole {@code coop bench net} measurement, in one run: in each round, memcpy of 1500-byte
 * frames in one thread ({@link MemcpyBandwidth}), the raw Xen ring's round trip between two
 * processes (the rings benchmark's {@link PingPongVariant#XEN_RING_SPIN_THEN_SLEEP}), then two
 * process guests ({@link NetGuestPair}) streaming 1514-byte frames ({@code net-stream}) and two
 * fresh ones playing ping-pong with 60-byte frames ({@code net-pingpong}), one after the other.
 * Figures are medians over the rounds; the goal ({@link NetGoals}) is the stream's Gbit/s. A
 * measurement that fails is recorded and the run goes on; every child JVM and file is gone when
 * {@link #run} returns. Never prints: progress goes to the given listener. Blocks the calling
 * thread for the whole run.
 */
public final class NetBenchmark
{
    private static final String STREAM = "net-stream";
    private static final String PING_PONG = "net-pingpong";
    private static final Duration RING_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration GUEST_SLACK = Duration.ofSeconds(60);

    private final NetBenchmarkConfig config;
    private final Consumer<String> progress;
    /** One figure's identity: every network figure has the same scope and wait mode. */
    private record Key(Subject subject, Metric metric)
    {
    }

    private final Map<Key, List<Double>> measured = new LinkedHashMap<>();
    private final BenchmarkRun benchRun;
    private final List<String> lines = new ArrayList<>();

    private NetBenchmark(final NetBenchmarkConfig config, final Consumer<String> progress)
    {
        this.config = config;
        this.progress = progress;
        this.benchRun = new BenchmarkRun(progress);
    }

    /**
     * @param config   times, counts, rounds, where the files go.
     * @param progress receives one line per step, for the command to print.
     * @return every figure, the goal and any failures.
     */
    public static RingsReport run(final NetBenchmarkConfig config, final Consumer<String> progress)
    {
        return new NetBenchmark(config, progress).run();
    }

    private RingsReport run()
    {
        for (int round = 1; round <= config.rounds(); round++)
        {
            measure(round, "memcpy", this::memcpy);
            measure(round, "raw ring round trip", this::ringRoundTrip);
            measure(round, STREAM, this::stream);
            measure(round, PING_PONG, this::pingPong);
        }
        final List<Figure> figures = new ArrayList<>();
        measured.forEach((key, values) -> figures.add(new Figure(key.subject(), key.metric(), NetGoals.SCOPE, NetGoals.WAIT,
            Figures.median(values))));
        final RunInfo run = benchRun.finish(config.command(), config.mode(), notes());
        return new RingsReport(run, figures, NetGoals.standard());
    }

    private void measure(final int round, final String what, final Runnable measurement)
    {
        benchRun.attempt(what + " round " + round, measurement);
    }

    private void memcpy()
    {
        final double gbits = MemcpyBandwidth.gbitPerSecond(config.memcpy().toNanos());
        record(Subject.MEMCPY_FRAMES, Metric.GBIT_PER_SECOND, gbits);
        say("memcpy of %d-byte frames, one thread: %.2f Gbit/s", MemcpyBandwidth.FRAME_BYTES, gbits);
    }

    private void ringRoundTrip()
    {
        final Path dir = RunDirs.create(config.runDir(), "netbench-ring-");
        try
        {
            final RoundTripResult rtt = ProcessPairRoundTrip.measure(PingPongVariant.XEN_RING_SPIN_THEN_SLEEP,
                new RoundTripPlan(config.ringRoundTrips(), config.ringRoundTrips(), RING_TIMEOUT), config.childJvm(), dir);
            record(Subject.XEN_RING, Metric.RTT_P50, rtt.p50Ns());
            record(Subject.XEN_RING, Metric.RTT_P99, rtt.p99Ns());
            say("raw Xen ring round trip, two processes, spin then sleep: %,d round trips, p50 %,d ns, p99 %,d ns",
                rtt.roundTrips(), rtt.p50Ns(), rtt.p99Ns());
        }
        finally
        {
            RunDirs.deleteTree(dir);
        }
    }

    private void stream()
    {
        final NetGuestPair.Result pair = NetGuestPair.run(config.runDir(), config.childJvm(), STREAM,
            Map.of("role", "receive", "omit_s", Integer.toString(config.omitSeconds())),
            Map.of("role", "send", "seconds", Integer.toString(config.streamSeconds())),
            GUEST_SLACK.plusSeconds(config.streamSeconds()));
        final double whole = number(pair.figures(), "total-gbit-s");
        final double gbits = config.omitSeconds() > 0 ? number(pair.figures(), "steady-gbit-s") : whole;
        record(Subject.NET_STREAM, Metric.GBIT_PER_SECOND, gbits);
        say("net-stream between two process guests: %.2f Gbit/s after the first %d s (%.2f over the whole stream); the receiver " +
            "counted %s frames; the backend switched %,d from the sender, delivered %,d to the receiver, dropped %,d (receive " +
            "queue full)", gbits, config.omitSeconds(), whole, pair.figures().get("total-frames"),
            pair.peer().getOrDefault(VifCounters.Value.TX_FRAMES, 0L), pair.measured().getOrDefault(VifCounters.Value.RX_FRAMES, 0L),
            pair.both(VifCounters.Value.DROPPED_RX_FULL));
        say("net-stream per hop: %s", NetHops.describe(pair.peerFigures(), pair.peer(), pair.measured(), pair.figures()));
    }

    private void pingPong()
    {
        final Map<String, String> figures = NetGuestPair.run(config.runDir(), config.childJvm(), PING_PONG,
            Map.of("role", "ping", "messages", Integer.toString(config.pingPongMessages())), Map.of("role", "pong"), GUEST_SLACK).figures();
        final double p50Ns = TimeUnit.MICROSECONDS.toNanos((long)number(figures, "total-p50-us"));
        final double p99Ns = TimeUnit.MICROSECONDS.toNanos((long)number(figures, "total-p99-us"));
        record(Subject.NET_ROUND_TRIP, Metric.RTT_P50, p50Ns);
        record(Subject.NET_ROUND_TRIP, Metric.RTT_P99, p99Ns);
        say("net-pingpong between two process guests: %s round trips, p50 %,.0f ns, p99 %,.0f ns", figures.get("total-requests"),
            p50Ns, p99Ns);
    }

    private static double number(final Map<String, String> figures, final String name)
    {
        final String text = figures.get(name);
        if (text == null)
        {
            throw new IllegalStateException("the guest published no " + name + ": " + figures);
        }
        return Double.parseDouble(text);
    }

    private void record(final Subject subject, final Metric metric, final double value)
    {
        measured.computeIfAbsent(new Key(subject, metric), k -> new ArrayList<>()).add(value);
    }

    private void say(final String format, final Object... args)
    {
        final String line = String.format(Locale.ROOT, format, args);
        lines.add(line);
        progress.accept(line);
    }

    private List<String> notes()
    {
        final List<String> notes = new ArrayList<>();
        notes.add(benchRun.loadNote("skews every figure"));
        notes.add(String.format(Locale.ROOT, "ours: two process guests (each its own JVM, 1 vCPU, 32 MiB, one vif with a " +
            "generated MAC) on a real Hypervisor and dom0's NetBackend (learning switch, one netback agent thread per vif) in " +
            "this JVM, default waits (spin briefly, then sleep); a fresh pair per measurement, JVM start-up not timed. Stream: " +
            "net-stream, the sender sends 1514-byte frames (1500-byte payload) as fast as its tx ring takes them for %d s; " +
            "Gbit/s = payload bits the receiver counted from %d s after its first data frame (iperf3's --omit: the guest JVMs " +
            "compile the data path first) to its last. Round trip: net-pingpong, " +
            "one 60-byte frame in flight, %,d round trips timed in the pinging guest (HdrHistogram, whole microseconds, the " +
            "guest JVM's warm-up included)", config.streamSeconds(), config.omitSeconds(), config.pingPongMessages()));
        notes.add(String.format(Locale.ROOT, "memcpy: %d-byte frames copied with UnsafeBuffer.putBytes between two off-heap " +
            "buffers of %d 4 KiB slots, one thread, %.1f s after a warm-up of a fifth of that", MemcpyBandwidth.FRAME_BYTES,
            MemcpyBandwidth.SLOTS, config.memcpy().toMillis() / 1000.0));
        notes.add(String.format(Locale.ROOT, "raw ring: the rings benchmark's Xen ring ping-pong (io/ring.h, doorbells, " +
            "spin then sleep) between two fresh JVMs, %,d round trips after as many warm-up ones", config.ringRoundTrips()));
        notes.add(String.format(Locale.ROOT, "measured in this order in each of %d round(s); figures are medians over the " +
            "rounds", config.rounds()));
        notes.addAll(lines);
        return notes;
    }
}
