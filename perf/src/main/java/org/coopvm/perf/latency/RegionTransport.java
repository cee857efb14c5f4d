package org.coopvm.perf.latency;

import org.agrona.concurrent.AtomicBuffer;
import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A transport laid out in one {@link RegionType#RAW} region: the subclass says how many bytes
 * it needs, initialises them, and builds endpoints over the region's (page-aligned) payload.
 */
abstract class RegionTransport implements PingPongTransport
{
    private static final String SUFFIX = ".region";

    /** @return payload bytes needed, from offset 0. */
    abstract int bufferLength();

    /**
     * Lay out the shared structures in zeroed memory; runs once, by the creator.
     *
     * @param buffer the region's payload.
     */
    abstract void initialise(AtomicBuffer buffer);

    abstract PingPongEndpoint initiator(AtomicBuffer buffer);

    abstract PingPongEndpoint responder(AtomicBuffer buffer);

    @Override
    public final PingPongLink create(final Optional<Path> filePrefix)
    {
        final SharedRegion region = filePrefix
            .map(prefix -> SharedRegion.createFile(file(prefix), RegionType.RAW, 0, bufferLength()))
            .orElseGet(() -> SharedRegion.createAnonymous(RegionType.RAW, 0, bufferLength()));
        initialise(region.payloadBuffer());
        return new Link(region);
    }

    @Override
    public final PingPongLink attach(final Path filePrefix)
    {
        return new Link(SharedRegion.attachFile(file(filePrefix), RegionType.RAW));
    }

    private static Path file(final Path prefix)
    {
        return prefix.resolveSibling(prefix.getFileName() + SUFFIX);
    }

    private final class Link implements PingPongLink
    {
        private final SharedRegion region;

        Link(final SharedRegion region)
        {
            this.region = region;
        }

        @Override
        public PingPongEndpoint initiator()
        {
            return RegionTransport.this.initiator(region.payloadBuffer());
        }

        @Override
        public PingPongEndpoint responder()
        {
            return RegionTransport.this.responder(region.payloadBuffer());
        }

        @Override
        public void close()
        {
            region.close();
        }
    }
}
