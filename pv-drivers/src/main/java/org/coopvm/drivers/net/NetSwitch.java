package org.coopvm.drivers.net;

import org.agrona.DirectBuffer;
import org.coopvm.rings.netif.MacAddress;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * dom0's software switch (a learning bridge, as Linux's {@code xenbr0}): every vif is a port; a
 * frame's source MAC is learned for the port it came in on; a unicast frame to a learned MAC goes
 * to that port only, anything else (broadcast, multicast, unknown destination) is flooded to every
 * other port. A frame is never sent back to the port it came from. A MAC seen on another port moves
 * there (a guest re-created with the same address).
 *
 * <p>Thread safety: any thread; {@link #forward} runs on every vif's agent concurrently.
 */
public final class NetSwitch
{
    /** Bytes of the Ethernet header the switch reads: destination, source, ethertype. */
    public static final int HEADER_LENGTH = 14;

    private final Map<Integer, SwitchPort> ports = new ConcurrentHashMap<>();
    private final Map<Long, Integer> learned = new ConcurrentHashMap<>();
    private final LongAdder flooded = new LongAdder();
    private final LongAdder unicast = new LongAdder();
    /** Bumped by every change of ports or learned MACs: a sender's cached route is good while it stays. */
    private final AtomicLong generation = new AtomicLong();

    /**
     * @param id   the port's number (unique: the backend uses the vif's key).
     * @param port where its frames go.
     */
    public void attach(final int id, final SwitchPort port)
    {
        ports.put(id, port);
        generation.incrementAndGet();
    }

    /**
     * Remove a port and forget the MACs learned on it.
     *
     * @param id the port's number.
     */
    public void detach(final int id)
    {
        ports.remove(id);
        learned.values().removeIf(port -> port == id);
        generation.incrementAndGet();
    }

    /**
     * Forward one frame (at least 14 bytes: destination, source, ethertype) that came in on a port,
     * and flush the ports it went to at once.
     *
     * @param from   the port it came from.
     * @param frame  the frame.
     * @param offset where it starts.
     * @param length its length.
     * @return ports it was delivered to.
     */
    public int forward(final int from, final DirectBuffer frame, final int offset, final int length)
    {
        final DeliveryBatch batch = new DeliveryBatch();
        final int delivered = forward(from, frame, offset, length, batch);
        batch.flush();
        return delivered;
    }

    /**
     * Forward one frame that came in on a port, straight from where it is (the sending guest's
     * page) to the ports it goes to: its header is read once into the batch's private copy, which
     * decides where it goes and is what the ports write as its header. The ports that took it are
     * added to the batch, for the caller to {@link DeliveryBatch#flush} at the end of its batch.
     *
     * @param from   the port it came from.
     * @param frame  the frame.
     * @param offset where it starts.
     * @param length its length, at least {@link #HEADER_LENGTH}.
     * @param batch  the sender's batch.
     * @return ports it was delivered to.
     */
    public int forward(final int from, final DirectBuffer frame, final int offset, final int length, final DeliveryBatch batch)
    {
        final DirectBuffer header = batch.header;
        batch.header.putBytes(0, frame, offset, HEADER_LENGTH);
        final long destination = mac(header, 0);
        final long source = mac(header, 6);
        final long now = generation.get();
        if (batch.routes(now, from, source, destination))
        {
            unicast.increment(); // the same route as the sender's last frame, nothing changed since
            return deliver(batch.routedPort, frame, offset, length, batch) ? 1 : 0;
        }
        if ((source >>> 40 & 1) == 0 && !Integer.valueOf(from).equals(learned.get(source)))
        {
            learned.put(source, from); // written only when it moves: a stream reads the map, never writes it
            generation.incrementAndGet();
        }
        final Integer to = (destination >>> 40 & 1) == 0 ? learned.get(destination) : null;
        if (to != null)
        {
            unicast.increment();
            final SwitchPort port = ports.get(to);
            if (to == from || port == null)
            {
                return 0;
            }
            batch.remember(now, from, source, destination, port);
            return deliver(port, frame, offset, length, batch) ? 1 : 0;
        }
        flooded.increment();
        int delivered = 0;
        for (final Map.Entry<Integer, SwitchPort> port : ports.entrySet())
        {
            if (port.getKey() != from && deliver(port.getValue(), frame, offset, length, batch))
            {
                delivered++;
            }
        }
        return delivered;
    }

    private static boolean deliver(final SwitchPort port, final DirectBuffer frame, final int offset, final int length,
        final DeliveryBatch batch)
    {
        batch.add(port); // even a port that dropped this frame may have moved queued ones into posted buffers
        return port.deliver(batch.header, frame, offset, length);
    }

    /**
     * @param mac an address.
     * @return the port it was learned on, or -1.
     */
    public int portOf(final MacAddress mac)
    {
        return learned.getOrDefault(mac.value(), -1);
    }

    /** @return ports attached. */
    public int ports()
    {
        return ports.size();
    }

    /** @return frames flooded (broadcast, multicast or unknown destination). */
    public long flooded()
    {
        return flooded.sum();
    }

    /** @return frames sent to a learned port. */
    public long unicast()
    {
        return unicast.sum();
    }

    private static long mac(final DirectBuffer frame, final int offset)
    {
        long value = 0;
        for (int i = 0; i < 6; i++)
        {
            value = value << 8 | frame.getByte(offset + i) & 0xFF;
        }
        return value;
    }
}
