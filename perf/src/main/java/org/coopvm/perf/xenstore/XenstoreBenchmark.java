package org.coopvm.perf.xenstore;

import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.guest.xenstore.XenstoreClient;
import org.coopvm.hypervisor.xenstore.Permissions;
import org.coopvm.hypervisor.xenstore.XenstoreConfig;
import org.coopvm.hypervisor.xenstore.Xenstored;
import org.coopvm.hypervisor.xenstore.transport.XenstoreRingConnection;
import org.coopvm.hypervisor.xenstore.transport.XenstoreRingServer;
import org.coopvm.hypervisor.xenstore.transport.XenstoreSocketClient;
import org.coopvm.hypervisor.xenstore.transport.XenstoreSocketServer;
import org.coopvm.perf.RunDirs;
import org.coopvm.perf.BenchmarkRun;
import org.coopvm.perf.report.Figure;
import org.coopvm.perf.report.Metric;
import org.coopvm.perf.report.RingsReport;
import org.coopvm.perf.report.RunInfo;
import org.coopvm.perf.report.Scope;
import org.coopvm.perf.report.Subject;
import org.coopvm.perf.report.WaitMode;
import org.coopvm.rings.xenstore.XenstoreInterfaceDescriptor;
import org.coopvm.rings.xenstore.XsMessage;
import org.coopvm.rings.xenstore.XsMessageType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The whole {@code coop bench xenstore} measurement, in one run: a real {@link Xenstored} in this
 * JVM, READ of an existing node and WRITE of a 32-byte value, timed one at a time (each waits for
 * its reply) from a dom0 tool over the Unix socket ({@link XenstoreSocketClient}) and from a guest
 * over its ring page ({@link XenstoreClient}); then, if Xen's {@code xenstore-read} and
 * {@code xenstore-write} are installed, one process of each per operation against the same socket,
 * as a per-process cost reference. A measurement that fails is recorded in the report and the run
 * goes on; the socket, run directory and serving threads are gone when {@link #run} returns.
 * Never prints: progress goes to the given listener. Blocks the calling thread for the whole run.
 */
public final class XenstoreBenchmark
{
    /** Bytes written by each WRITE. */
    public static final int VALUE_LENGTH = 32;
    static final int GUEST_DOMID = 1;
    static final String TOOL_READ_PATH = "/tool/xsbench/read";
    static final String TOOL_WRITE_PATH = "/tool/xsbench/write";
    static final String GUEST_HOME = "/local/domain/" + GUEST_DOMID;
    static final String GUEST_READ_PATH = GUEST_HOME + "/xsbench/read";
    static final String GUEST_WRITE_PATH = GUEST_HOME + "/xsbench/write";
    private static final int TOOL_WARMUP = 2;
    private static final String VALUE = "0123456789abcdef".repeat(VALUE_LENGTH / 16);

    private final XenstoreBenchmarkConfig config;
    private final Consumer<String> progress;
    private final List<Figure> figures = new ArrayList<>();
    private final BenchmarkRun benchRun;
    private final List<String> skipped = new ArrayList<>();

    private XenstoreBenchmark(final XenstoreBenchmarkConfig config, final Consumer<String> progress)
    {
        this.config = config;
        this.progress = progress;
        this.benchRun = new BenchmarkRun(progress);
    }

    /**
     * @param config   what to measure and for how long.
     * @param progress receives one line per step, for the command to print.
     * @return every figure and any failures (no goals).
     */
    public static RingsReport run(final XenstoreBenchmarkConfig config, final Consumer<String> progress)
    {
        return new XenstoreBenchmark(config, progress).run();
    }

    /**
     * @param name a program name.
     * @return the executable of that name on {@code PATH}, if any.
     */
    static Optional<Path> onPath(final String name)
    {
        final String path = System.getenv("PATH");
        if (path == null)
        {
            return Optional.empty();
        }
        return Stream.of(path.split(java.io.File.pathSeparator)).filter(dir -> !dir.isEmpty())
            .map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
    }

    private RingsReport run()
    {
        final Path dir = RunDirs.create(config.runDir(), "xsbench-");
        try
        {
            final Xenstored xenstored = new Xenstored(XenstoreConfig.DEFAULTS);
            measure("tool over the Unix socket", () -> socket(xenstored, dir));
            measure("guest over its ring", () -> ring(xenstored));
        }
        finally
        {
            RunDirs.deleteTree(dir);
        }
        final RunInfo run = benchRun.finish(config.command(), config.mode(), notes());
        return new RingsReport(run, figures, List.of());
    }

    private void socket(final Xenstored xenstored, final Path dir) throws IOException
    {
        final byte[] value = VALUE.getBytes(StandardCharsets.UTF_8);
        xenstored.write(TOOL_READ_PATH, value);
        try (XenstoreSocketServer server = new XenstoreSocketServer(xenstored, dir.resolve(XenstoreSocketServer.SOCKET_NAME)))
        {
            server.start();
            try (XenstoreSocketClient client = new XenstoreSocketClient(server.socketPath()))
            {
                final XsMessage read = XsMessage.ofStrings(XsMessageType.READ, 0, 0, TOOL_READ_PATH);
                final XsMessage write = XsMessage.write(0, TOOL_WRITE_PATH, value);
                record(Subject.XENSTORE_SOCKET_READ, Scope.THREADS, time(() -> expectReply(client.call(read))));
                record(Subject.XENSTORE_SOCKET_WRITE, Scope.THREADS, time(() -> expectReply(client.call(write))));
            }
            tools(server.socketPath(), dir);
        }
    }

    private void tools(final Path socket, final Path dir)
    {
        if (config.toolProcesses() == 0)
        {
            return;
        }
        final Optional<Path> read = onPath("xenstore-read");
        final Optional<Path> write = onPath("xenstore-write");
        if (read.isEmpty() || write.isEmpty())
        {
            skipped.add("xenstore-read/xenstore-write: not installed (Debian package xenstore-utils), reference not measured");
            progress.accept("xenstore-read/xenstore-write: not installed, skipped");
            return;
        }
        final XenstoreToolRunner runner = new XenstoreToolRunner(socket, dir.resolve("tool-output"), config.timeout());
        measure("xenstore-read processes", () -> record(Subject.XENSTORE_UTILS_READ, Scope.PROCESSES, OpsTimer.time(
            () -> runner.run(read.get().toString(), TOOL_READ_PATH), TOOL_WARMUP, config.toolProcesses(), config.timeout())));
        measure("xenstore-write processes", () -> record(Subject.XENSTORE_UTILS_WRITE, Scope.PROCESSES, OpsTimer.time(
            () -> runner.run(write.get().toString(), TOOL_WRITE_PATH, VALUE), TOOL_WARMUP, config.toolProcesses(),
            config.timeout())));
    }

    private void ring(final Xenstored xenstored)
    {
        xenstored.mkdir(GUEST_HOME);
        xenstored.setPermissions(GUEST_HOME, new Permissions(List.of(new Permissions.Entry(Permissions.Access.NONE, 0),
            new Permissions.Entry(Permissions.Access.BOTH, GUEST_DOMID))));
        final UnsafeBuffer page = new UnsafeBuffer(ByteBuffer.allocateDirect(XenstoreInterfaceDescriptor.PAYLOAD_LENGTH));
        final Semaphore doorbell = new Semaphore(0);
        try (XenstoreRingServer server = new XenstoreRingServer(xenstored))
        {
            final XenstoreRingConnection connection = server.attach(GUEST_DOMID, page, doorbell::release);
            try
            {
                final XenstoreClient client = new XenstoreClient(page, () -> server.kick(connection),
                    timeoutNs -> doorbell.tryAcquire(timeoutNs, TimeUnit.NANOSECONDS), TimeUnit.SECONDS.toNanos(10));
                client.write(GUEST_READ_PATH, VALUE);
                record(Subject.XENSTORE_RING_READ, Scope.THREADS, time(() -> client.read(GUEST_READ_PATH)));
                record(Subject.XENSTORE_RING_WRITE, Scope.THREADS, time(() -> client.write(GUEST_WRITE_PATH, VALUE)));
            }
            finally
            {
                connection.close();
            }
        }
    }

    private OpsResult time(final OpsTimer.Op op)
    {
        return OpsTimer.time(op, config.warmupOps(), config.measuredOps(), config.timeout());
    }

    private static void expectReply(final XsMessage reply)
    {
        if (reply.type() == XsMessageType.ERROR.code())
        {
            throw new IllegalStateException("xenstored answered " + reply.text());
        }
    }

    private void record(final Subject subject, final Scope scope, final OpsResult result)
    {
        figures.add(new Figure(subject, Metric.OPS_PER_SECOND, scope, WaitMode.BLOCKING, result.opsPerSecond()));
        figures.add(new Figure(subject, Metric.RTT_P50, scope, WaitMode.BLOCKING, result.latency().p50Ns()));
        figures.add(new Figure(subject, Metric.RTT_P99, scope, WaitMode.BLOCKING, result.latency().p99Ns()));
        figures.add(new Figure(subject, Metric.RTT_P999, scope, WaitMode.BLOCKING, result.latency().p999Ns()));
    }

    private void measure(final String what, final Measurement measurement)
    {
        benchRun.measure(what, () ->
        {
            try
            {
                measurement.run();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex.getMessage(), ex);
            }
        });
    }

    private List<String> notes()
    {
        final List<String> notes = new ArrayList<>();
        notes.add(benchRun.loadNote("skews every figure"));
        notes.add(String.format(Locale.ROOT, "every operation waits for its reply before the next (one client, no " +
            "pipelining); %,d warm-up then %,d measured per operation and transport, each timed with System.nanoTime " +
            "into an HdrHistogram; ops/s = measured operations / their wall time", config.warmupOps(), config.measuredOps()));
        notes.add("xenstored: a real org.coopvm.hypervisor.xenstore.Xenstored (XenstoreConfig.DEFAULTS) in the benchmark " +
            "JVM; READ of an existing node holding " + VALUE_LENGTH + " bytes, WRITE of " + VALUE_LENGTH + " bytes to one node " +
            "(overwritten each time, so watches and quotas stay idle)");
        notes.add("tool over the Unix socket: XenstoreSocketServer (one selector thread) on a socket in a fresh run " +
            "directory under " + config.runDir() + ", XenstoreSocketClient (blocking SocketChannel) as dom0 on the " +
            "benchmark thread: two threads of one JVM");
        notes.add("guest over its ring: XenstoreRingServer (one serving thread, parks when idle) on an anonymous " +
            "xenstore_domain_interface page, the guest kernel's XenstoreClient as domain " + GUEST_DOMID + " on the " +
            "benchmark thread; the event channel is stood in for by a kick of the serving thread (LockSupport.unpark) " +
            "and a Semaphore the client sleeps on: two threads of one JVM, no hypervisor dispatch in the path");
        if (config.toolProcesses() > 0)
        {
            notes.add(String.format(Locale.ROOT, "reference only: Xen's xenstore-read / xenstore-write binaries " +
                "(libxenstore), XENSTORED_PATH=<socket>, one process per operation, %d warm-up then %d measured each: " +
                "dominated by process start-up, not by xenstored", TOOL_WARMUP, config.toolProcesses()));
        }
        notes.addAll(skipped);
        return notes;
    }


    @FunctionalInterface
    private interface Measurement
    {
        void run() throws IOException;
    }
}
