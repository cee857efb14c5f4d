package org.coopvm.rings.channel;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.coopvm.rings.doorbell.WaitConfig;
import org.coopvm.rings.region.RegionException;
import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.coopvm.rings.channel.ChannelDescriptor.*;

/**
 * A message channel in a {@link RegionType#MESSAGE_CHANNEL} region (layout in
 * {@link ChannelDescriptor}): create it by path (another process attaches by the same path) or
 * in anonymous memory (in-process peers), then open its {@link #openProducer producer} and
 * {@link #openConsumer consumer} ends, each in the process that uses it.
 *
 * <p>Thread safety: opening and closing are synchronized. {@link #close()} closes the ends
 * this instance opened, then unmaps: call it once no thread uses them.
 */
public final class MessageChannel implements AutoCloseable
{
    private final SharedRegion region;
    private final ChannelKind kind;
    private final int capacity;
    private final List<ChannelEndpoint> endpoints = new ArrayList<>();

    private MessageChannel(final SharedRegion region, final ChannelKind kind, final int capacity)
    {
        this.region = region;
        this.kind = kind;
        this.capacity = capacity;
    }

    /**
     * Create a channel file, {@code 0600}; closing the channel deletes it.
     *
     * @param file          where to create it; it must not exist.
     * @param kind          one-to-one or many-to-one.
     * @param capacityBytes ring capacity, a power of two in {@link ChannelDescriptor#MIN_CAPACITY}..{@link ChannelDescriptor#MAX_CAPACITY}.
     * @param ownerDomid    the domain owning the channel.
     * @return the channel, with neither end open.
     * @throws RegionException {@code INVALID_SIZE}, {@code ALREADY_EXISTS} or {@code IO}.
     */
    public static MessageChannel createFile(final Path file, final ChannelKind kind, final int capacityBytes, final int ownerDomid)
    {
        checkCapacity(capacityBytes, String.valueOf(file));
        return initialise(SharedRegion.createFile(
            file, RegionType.MESSAGE_CHANNEL, ownerDomid, ChannelDescriptor.payloadLength(capacityBytes)), kind, capacityBytes);
    }

    /**
     * Create a channel in anonymous memory, for peers in this process.
     *
     * @param kind          one-to-one or many-to-one.
     * @param capacityBytes ring capacity, as for {@link #createFile}.
     * @param ownerDomid    the domain owning the channel.
     * @return the channel, with neither end open.
     */
    public static MessageChannel createAnonymous(final ChannelKind kind, final int capacityBytes, final int ownerDomid)
    {
        checkCapacity(capacityBytes, "anonymous channel");
        return initialise(SharedRegion.createAnonymous(
            RegionType.MESSAGE_CHANNEL, ownerDomid, ChannelDescriptor.payloadLength(capacityBytes)), kind, capacityBytes);
    }

    /**
     * Attach to a channel file another process created, validating the region header and the
     * channel's own fields before anything else is read.
     *
     * @param file the channel file.
     * @return the channel; closing it unmaps but leaves the file.
     * @throws RegionException {@code MISSING}, {@code TRUNCATED}, {@code FOREIGN},
     *                         {@code WRONG_VERSION}, {@code WRONG_TYPE} (not a channel, or an
     *                         unknown channel kind), {@code INVALID_SIZE} (capacity) or {@code IO}.
     */
    public static MessageChannel attachFile(final Path file)
    {
        final SharedRegion region = SharedRegion.attachFile(file, RegionType.MESSAGE_CHANNEL);
        try
        {
            final AtomicBuffer control = region.payloadBuffer();
            final int kindCode = control.getIntVolatile(KIND_OFFSET);
            final ChannelKind kind = ChannelKind.fromCode(kindCode);
            if (kind == null)
            {
                throw new RegionException(RegionException.Reason.WRONG_TYPE, file + " holds unknown channel kind " + kindCode);
            }
            final int capacity = control.getIntVolatile(CAPACITY_OFFSET);
            checkCapacity(capacity, file.toString());
            if (ChannelDescriptor.payloadLength(capacity) > region.payloadLength())
            {
                throw new RegionException(RegionException.Reason.INVALID_SIZE, file + " claims a ring of " + capacity +
                    " bytes but its payload is only " + region.payloadLength() + " bytes");
            }
            return new MessageChannel(region, kind, capacity);
        }
        catch (final RuntimeException ex)
        {
            region.close();
            throw ex;
        }
    }

    /**
     * Open the producer end in this process: publishes its liveness (ALIVE, new epoch).
     *
     * @param clock  the clock for heartbeats (epoch milliseconds).
     * @param config liveness tuning (the check interval paces liveness checks while FULL).
     * @return the producer end; for {@link ChannelKind#MANY_TO_ONE} any thread may offer on it.
     * @throws IllegalStateException when a live producer is already attached.
     */
    public synchronized ChannelProducer openProducer(final EpochClock clock, final WaitConfig config)
    {
        return register(new ChannelProducer(this, clock, config));
    }

    /**
     * Open the consumer end in this process: publishes its liveness (ALIVE, new epoch).
     *
     * @param clock  the clock for heartbeats (epoch milliseconds).
     * @param config the wait strategy's tuning.
     * @return the consumer end, for one thread.
     * @throws IllegalStateException when a live consumer is already attached.
     */
    public synchronized ChannelConsumer openConsumer(final EpochClock clock, final WaitConfig config)
    {
        return register(new ChannelConsumer(this, clock, config));
    }

    /** @return one-to-one or many-to-one. */
    public ChannelKind kind()
    {
        return kind;
    }

    /** @return ring capacity in bytes. */
    public int capacity()
    {
        return capacity;
    }

    /** @return the longest message an offer accepts, in bytes. */
    public int maxMsgLength()
    {
        return newRingBuffer().maxMsgLength();
    }

    /** @return the region holding the channel. */
    public SharedRegion region()
    {
        return region;
    }

    /** Close the ends this instance opened (publishing CLOSED), then unmap. Idempotent. */
    @Override
    public synchronized void close()
    {
        for (final ChannelEndpoint endpoint : endpoints)
        {
            endpoint.close();
        }
        endpoints.clear();
        region.close();
    }

    RingBuffer newRingBuffer()
    {
        final UnsafeBuffer ring = new UnsafeBuffer(
            region.payloadBuffer(), RING_OFFSET, capacity + RingBufferDescriptor.TRAILER_LENGTH);
        return kind == ChannelKind.ONE_TO_ONE ? new OneToOneRingBuffer(ring) : new ManyToOneRingBuffer(ring);
    }

    AtomicBuffer control()
    {
        return region.payloadBuffer();
    }

    private <T extends ChannelEndpoint> T register(final T endpoint)
    {
        endpoints.add(endpoint);
        return endpoint;
    }

    private static MessageChannel initialise(final SharedRegion region, final ChannelKind kind, final int capacity)
    {
        final AtomicBuffer control = region.payloadBuffer();
        control.putInt(KIND_OFFSET, kind.code());
        control.putIntRelease(CAPACITY_OFFSET, capacity);
        return new MessageChannel(region, kind, capacity);
    }

    private static void checkCapacity(final int capacity, final String name)
    {
        if (!ChannelDescriptor.isValidCapacity(capacity))
        {
            throw new RegionException(RegionException.Reason.INVALID_SIZE, name + ": ring capacity " + capacity +
                " is not a power of two in " + MIN_CAPACITY + ".." + MAX_CAPACITY);
        }
    }
}
