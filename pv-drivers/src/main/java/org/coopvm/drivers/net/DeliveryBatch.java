package org.coopvm.drivers.net;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * One sender's batch through the {@link NetSwitch}: the private copy of the header of the frame
 * being switched, and the ports that took frames since the last {@link #flush}, so each is told
 * once per batch (one push of responses and at most one notification for many frames, as Xen's
 * netback pushes its rx responses once per batch).
 *
 * <p>Not thread safe: the sending vif's agent only.
 */
public final class DeliveryBatch
{
    final UnsafeBuffer header = new UnsafeBuffer(new byte[NetSwitch.HEADER_LENGTH]);
    private SwitchPort[] ports = new SwitchPort[4];
    private int count;

    /** @param port a port that took a frame (added once). */
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
     * Flush every port that took frames, and start a new batch.
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
