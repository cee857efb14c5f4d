package org.coopvm.drivers.net;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * One sender's batch through the {@link NetSwitch}: the private copy of the header of the frame
 * being switched, and the ports frames were offered to since the last {@link #flush}, so each is told
 * once per batch (one push of responses and at most one notification for many frames, as Xen's
 * netback pushes its rx responses once per batch).
 *
 * <p>Not thread safe: the sending vif's agent only.
 */
public final class DeliveryBatch
{
    final UnsafeBuffer header = new UnsafeBuffer(new byte[NetSwitch.HEADER_LENGTH]);
    SwitchPort routedPort;
    private SwitchPort[] ports = new SwitchPort[4];
    private int count;
    private long routeGeneration = -1;
    private int routeFrom;
    private long routeSource;
    private long routeDestination;

    /**
     * @return whether the last unicast route remembered holds for this frame: the switch has not
     *         changed since (same generation) and the frame has the same ports and addresses;
     *         {@link #routedPort} is then where it goes.
     */
    boolean routes(final long generation, final int from, final long source, final long destination)
    {
        return generation == routeGeneration && from == routeFrom && source == routeSource && destination == routeDestination;
    }

    /** Remember a unicast route the switch looked up in {@code generation}. */
    void remember(final long generation, final int from, final long source, final long destination, final SwitchPort port)
    {
        routeGeneration = generation;
        routeFrom = from;
        routeSource = source;
        routeDestination = destination;
        routedPort = port;
    }

    /** @param port a port a frame was offered to (added once). */
    void add(final SwitchPort port)
    {
        for (int i = 0; i < count; i++)
        {
            if (ports[i] == port)
            {
                return;
            }
        }
        if (count == ports.length)
        {
            ports = java.util.Arrays.copyOf(ports, count * 2);
        }
        ports[count++] = port;
    }

    /**
     * Flush every port frames were offered to, and start a new batch.
     *
     * @return ports flushed.
     */
    public int flush()
    {
        final int flushed = count;
        for (int i = 0; i < count; i++)
        {
            ports[i].flush();
            ports[i] = null;
        }
        count = 0;
        return flushed;
    }
}
