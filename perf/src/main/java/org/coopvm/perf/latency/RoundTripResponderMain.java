package org.coopvm.perf.latency;

import org.agrona.concurrent.AtomicBuffer;
import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;

import java.nio.file.Path;

/**
 * Entry point of the second JVM in a two-process round-trip measurement: attaches the region
 * file, builds the responder end, announces it is ready, echoes, and exits 0 (1 on failure,
 * with the reason on standard error).
 *
 * <p>Arguments: {@code <variant id> <region file> <round trips> <timeout ms>}.
 */
public final class RoundTripResponderMain
{
    private RoundTripResponderMain()
    {
    }

    /**
     * @param args variant id, region file, round trips, timeout in milliseconds.
     */
    public static void main(final String[] args)
    {
        try
        {
            run(PingPongVariant.fromId(args[0]), Path.of(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]));
        }
        catch (final RuntimeException ex)
        {
            System.err.println("round-trip responder failed: " + ex);
            ex.printStackTrace(System.err);
            System.exit(1);
        }
    }

    private static void run(final PingPongVariant variant, final Path file, final int roundTrips, final long timeoutMs)
    {
        final long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000L;
        try (SharedRegion region = SharedRegion.attachFile(file, RegionType.RAW))
        {
            final PingPongTransport transport = variant.transport();
            final AtomicBuffer payload = region.payloadBuffer();
            final PingPongEndpoint responder = transport.responder(
                RoundTripRegionDescriptor.transportBuffer(payload, transport));
            payload.putIntRelease(RoundTripRegionDescriptor.READY_OFFSET, RoundTripRegionDescriptor.READY);
            RoundTripHarness.respond(responder, roundTrips, deadlineNs);
        }
    }
}
