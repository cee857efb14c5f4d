package org.coopvm.perf.latency;

import org.HdrHistogram.Histogram;
import org.agrona.concurrent.AtomicBuffer;
import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.DataFormatException;

/**
 * Entry point of a fresh JVM that makes exactly one round-trip measurement and hands its
 * HdrHistogram back in a file, so that no measurement runs on code the JIT profiled for
 * another transport (as JMH forks). Exits 0, or 1 with the reason on standard error.
 *
 * <p>Arguments: {@code <role> <variant id> <file prefix> <warm-up> <measured> <timeout ms> <slice gap ns>},
 * role
 * {@code threads} (both ends in this JVM, anonymous memory) or {@code initiator} (the files
 * the parent created under the prefix; waits for the responder JVM's ready flag). The
 * histogram goes to {@link #histogramFile(Path)}.
 */
public final class RoundTripForkMain
{
    /** Role: both ends are threads of the fork. */
    static final String THREADS = "threads";
    /** Role: the fork is the initiator; the responder is another JVM. */
    static final String INITIATOR = "initiator";
    private static final long READY_POLL_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private RoundTripForkMain()
    {
    }

    /**
     * @param args role, variant id, file prefix, warm-up and measured round trips, timeout in milliseconds,
     *             slice gap in nanoseconds.
     */
    public static void main(final String[] args)
    {
        try
        {
            final PingPongVariant variant = PingPongVariant.fromId(args[1]);
            final Path prefix = Path.of(args[2]);
            final RoundTripPlan plan = new RoundTripPlan(Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                Duration.ofMillis(Long.parseLong(args[5])), Duration.ofNanos(Long.parseLong(args[6])));
            final Histogram histogram = switch (args[0])
            {
                case THREADS -> ThreadPairRoundTrip.record(variant.transport(), plan);
                case INITIATOR -> initiate(variant, prefix, plan);
                default -> throw new IllegalArgumentException("unknown role: " + args[0]);
            };
            write(histogram, histogramFile(prefix));
        }
        catch (final RuntimeException | IOException ex)
        {
            System.err.println("round-trip fork failed: " + ex);
            ex.printStackTrace(System.err);
            System.exit(1);
        }
    }

    /**
     * @param role    {@link #THREADS} or {@link #INITIATOR}.
     * @param variant what carries the messages.
     * @param prefix  the measurement's file prefix.
     * @param plan    counts and timeout.
     * @return the fork's arguments.
     */
    static List<String> args(final String role, final PingPongVariant variant, final Path prefix, final RoundTripPlan plan)
    {
        return List.of(role, variant.id(), prefix.toString(), Integer.toString(plan.warmupRoundTrips()),
            Integer.toString(plan.measuredRoundTrips()), Long.toString(plan.timeout().toMillis()),
            Long.toString(plan.sliceGap().toNanos()));
    }

    /**
     * @param prefix the measurement's file prefix.
     * @return where the fork writes its histogram.
     */
    static Path histogramFile(final Path prefix)
    {
        return prefix.resolveSibling(prefix.getFileName() + ".hist");
    }

    /**
     * @param file what a fork wrote.
     * @return its histogram.
     * @throws IllegalStateException when the file is missing or unreadable.
     */
    static Histogram readHistogram(final Path file)
    {
        try
        {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Files.readAllBytes(file)), 0);
        }
        catch (final IOException | DataFormatException ex)
        {
            throw new IllegalStateException("no histogram from the fork in " + file + ": " + ex, ex);
        }
    }

    private static Histogram initiate(final PingPongVariant variant, final Path prefix, final RoundTripPlan plan)
    {
        try (SharedRegion handshake = SharedRegion.attachFile(HandshakeDescriptor.file(prefix), RegionType.RAW);
            PingPongLink link = variant.transport().attach(prefix))
        {
            final PingPongEndpoint initiator = link.initiator();
            awaitReady(handshake.payloadBuffer());
            return RoundTripHarness.record(initiator, plan);
        }
    }

    private static void awaitReady(final AtomicBuffer payload)
    {
        final long deadlineNs = System.nanoTime() + ChildProcesses.STARTUP_TIMEOUT.toNanos();
        while (payload.getIntVolatile(HandshakeDescriptor.READY_OFFSET) != HandshakeDescriptor.READY)
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException("responder JVM not ready within " + ChildProcesses.STARTUP_TIMEOUT);
            }
            LockSupport.parkNanos(READY_POLL_NS);
        }
    }

    private static void write(final Histogram histogram, final Path file) throws IOException
    {
        final ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        final int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        Files.write(file, Arrays.copyOf(buffer.array(), length));
    }
}
