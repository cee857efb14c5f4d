package org.coopvm.perf.latency;

import org.HdrHistogram.Histogram;

import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures round trips between two fresh JVMs that map the same files: a responder
 * ({@link RoundTripResponderMain}) and an initiator ({@link RoundTripForkMain}) that hands its
 * histogram back. This JVM only creates the files and orchestrates, so neither end runs code
 * the JIT profiled for another transport. Both children are always destroyed and every file
 * and log deleted, whatever happens. Stateless; blocks the calling thread for the whole
 * measurement.
 */
public final class ProcessPairRoundTrip
{
    private static final Duration EXIT_GRACE = Duration.ofSeconds(10);
    private static final long POLL_NS = TimeUnit.MILLISECONDS.toNanos(10);

    private ProcessPairRoundTrip()
    {
    }

    /**
     * @param variant  what carries the messages.
     * @param plan     counts and timeout (after both children are ready).
     * @param childJvm how to start the two JVMs.
     * @param runDir   where to create the region files (tmpfs, e.g. {@code /dev/shm}).
     * @return the round-trip percentiles.
     * @throws IllegalStateException when a child fails to start, fails, or times out.
     */
    public static RoundTripResult measure(
        final PingPongVariant variant, final RoundTripPlan plan, final ChildJvm childJvm, final Path runDir)
    {
        return RoundTripResult.of(record(variant, plan, childJvm, runDir));
    }

    /**
     * As {@link #measure}, returning the initiator's histogram (to merge several measurements).
     *
     * @param variant  what carries the messages.
     * @param plan     counts and timeout (after both children are ready).
     * @param childJvm how to start the two JVMs.
     * @param runDir   where to create the region files.
     * @return the measured round-trip times in nanoseconds.
     * @throws IllegalStateException when a child fails to start, fails, or times out.
     */
    public static Histogram record(
        final PingPongVariant variant, final RoundTripPlan plan, final ChildJvm childJvm, final Path runDir)
    {
        final Path prefix = runDir.resolve("coop-bench-rtt-" + ProcessHandle.current().pid() + "-" + variant.id());
        final Path responderLog = prefix.resolveSibling(prefix.getFileName() + ".responder.log");
        final Path initiatorLog = prefix.resolveSibling(prefix.getFileName() + ".initiator.log");
        final Path histogram = RoundTripForkMain.histogramFile(prefix);
        final SharedRegion handshake = SharedRegion.createFile(
            HandshakeDescriptor.file(prefix), RegionType.RAW, 0, HandshakeDescriptor.HANDSHAKE_LENGTH);
        PingPongLink link = null;
        Process responder = null;
        Process initiator = null;
        try
        {
            link = variant.transport().create(Optional.of(prefix));
            final Duration childTimeout = ChildProcesses.STARTUP_TIMEOUT.plus(plan.timeout());
            responder = ChildProcesses.start(childJvm, RoundTripResponderMain.class, List.of(variant.id(),
                prefix.toString(), Integer.toString(plan.totalRoundTrips()), Long.toString(childTimeout.toMillis())),
                responderLog);
            initiator = ChildProcesses.start(childJvm, RoundTripForkMain.class,
                RoundTripForkMain.args(RoundTripForkMain.INITIATOR, variant, prefix, plan), initiatorLog);
            awaitInitiator(initiator, responder, childTimeout.plus(EXIT_GRACE), initiatorLog, responderLog);
            ChildProcesses.awaitSuccess(responder, "responder", EXIT_GRACE, responderLog);
            return RoundTripForkMain.readHistogram(histogram);
        }
        finally
        {
            ChildProcesses.destroy(initiator);
            ChildProcesses.destroy(responder);
            if (link != null)
            {
                link.close();
            }
            handshake.close();
            ChildProcesses.deleteQuietly(histogram);
            ChildProcesses.deleteQuietly(initiatorLog);
            ChildProcesses.deleteQuietly(responderLog);
        }
    }

    /** Wait for the initiator, failing at once when the responder dies first. */
    private static void awaitInitiator(
        final Process initiator, final Process responder, final Duration timeout, final Path initiatorLog,
        final Path responderLog)
    {
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (initiator.isAlive() && System.nanoTime() - deadlineNs < 0)
        {
            if (!responder.isAlive() && responder.exitValue() != 0)
            {
                throw new IllegalStateException("responder JVM exited with " + responder.exitValue() + ": " +
                    ChildProcesses.read(responderLog));
            }
            LockSupport.parkNanos(POLL_NS);
        }
        ChildProcesses.awaitSuccess(initiator, "initiator", Duration.ZERO, initiatorLog);
    }
}
