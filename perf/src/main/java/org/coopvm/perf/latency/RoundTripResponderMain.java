package org.coopvm.perf.latency;

import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;

import java.nio.file.Path;

/**
 * Entry point of the second JVM in a two-process round-trip measurement: attaches the
 * transport's files, builds the responder end, announces it is ready in the handshake file,
 * echoes, and exits 0 (1 on failure, with the reason on standard error).
 *
 * <p>Arguments: {@code <variant id> <file prefix> <round trips> <timeout ms>}.
 */
public final class RoundTripResponderMain
{
    private RoundTripResponderMain()
    {
    }

    /**
     * @param args variant id, file prefix, round trips, timeout in milliseconds.
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

    private static void run(final PingPongVariant variant, final Path prefix, final int roundTrips, final long timeoutMs)
    {
        final long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000L;
        try (SharedRegion handshake = SharedRegion.attachFile(HandshakeDescriptor.file(prefix), RegionType.RAW);
            PingPongLink link = variant.transport().attach(prefix))
        {
            final PingPongEndpoint responder = link.responder();
            handshake.payloadBuffer().putIntRelease(HandshakeDescriptor.READY_OFFSET, HandshakeDescriptor.READY);
            RoundTripHarness.respond(responder, roundTrips, deadlineNs);
        }
    }
}
