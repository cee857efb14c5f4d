package org.coopvm.perf.latency;

import org.agrona.concurrent.AtomicBuffer;
import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures round trips between the calling thread and a second JVM that maps the same file
 * ({@link RoundTripResponderMain}). The child is always destroyed and the file and log always
 * deleted, whatever happens. Stateless; blocks the calling thread for the whole measurement.
 */
public final class ProcessPairRoundTrip
{
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    private static final long READY_POLL_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private ProcessPairRoundTrip()
    {
    }

    /**
     * @param variant  what carries the messages.
     * @param plan     counts and timeout (after the child is ready).
     * @param childJvm how to start the second JVM.
     * @param runDir   where to create the region file (tmpfs, e.g. {@code /dev/shm}).
     * @return the round-trip percentiles.
     * @throws IllegalStateException when the child fails to start, fails, or times out.
     */
    public static RoundTripResult measure(
        final PingPongVariant variant, final RoundTripPlan plan, final ChildJvm childJvm, final Path runDir)
    {
        final Path prefix = runDir.resolve("coop-bench-rtt-" + ProcessHandle.current().pid() + "-" + variant.id());
        final Path log = prefix.resolveSibling(prefix.getFileName() + ".log");
        Process child = null;
        try (SharedRegion handshake = SharedRegion.createFile(prefix.resolveSibling(prefix.getFileName() +
                HandshakeDescriptor.FILE_SUFFIX), RegionType.RAW, 0, HandshakeDescriptor.HANDSHAKE_LENGTH);
            PingPongLink link = variant.transport().create(Optional.of(prefix)))
        {
            child = start(childJvm, variant, prefix, plan, log);
            awaitReady(handshake.payloadBuffer(), child, log);
            final RoundTripResult result = RoundTripHarness.initiate(link.initiator(), plan);
            awaitExit(child, log);
            return result;
        }
        finally
        {
            destroy(child);
            deleteQuietly(log);
        }
    }

    private static Process start(
        final ChildJvm childJvm, final PingPongVariant variant, final Path prefix, final RoundTripPlan plan, final Path log)
    {
        final List<String> args = List.of(variant.id(), prefix.toString(), Integer.toString(plan.totalRoundTrips()),
            Long.toString(STARTUP_TIMEOUT.plus(plan.timeout()).toMillis()));
        try
        {
            return new ProcessBuilder(childJvm.command(RoundTripResponderMain.class, args))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot start the responder JVM: " + ex, ex);
        }
    }

    private static void awaitReady(final AtomicBuffer payload, final Process child, final Path log)
    {
        final long deadlineNs = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (payload.getIntVolatile(HandshakeDescriptor.READY_OFFSET) != HandshakeDescriptor.READY)
        {
            if (!child.isAlive())
            {
                throw new IllegalStateException("responder JVM exited with " + child.exitValue() + ": " + read(log));
            }
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException("responder JVM not ready within " + STARTUP_TIMEOUT + ": " + read(log));
            }
            LockSupport.parkNanos(READY_POLL_NS);
        }
    }

    private static void awaitExit(final Process child, final Path log)
    {
        try
        {
            if (!child.waitFor(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
            {
                throw new IllegalStateException("responder JVM did not exit after the last round trip");
            }
            if (child.exitValue() != 0)
            {
                throw new IllegalStateException("responder JVM exited with " + child.exitValue() + ": " + read(log));
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the responder JVM", ex);
        }
    }

    private static void destroy(final Process child)
    {
        if (child != null && child.isAlive())
        {
            child.destroyForcibly();
            child.onExit().join();
        }
    }

    private static String read(final Path log)
    {
        try
        {
            return Files.readString(log, StandardCharsets.UTF_8).strip();
        }
        catch (final IOException ex)
        {
            return "(no output: " + ex + ")";
        }
    }

    private static void deleteQuietly(final Path file)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ignore)
        {
            // a leftover log under the run directory is harmless
        }
    }
}
