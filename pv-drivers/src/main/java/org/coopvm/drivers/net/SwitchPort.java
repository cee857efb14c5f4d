package org.coopvm.drivers.net;

import org.agrona.DirectBuffer;

/**
 * One port of the {@link NetSwitch}: where frames for a vif go.
 *
 * <p>Thread safety: {@link #deliver} is called by any vif's agent thread concurrently.
 */
@FunctionalInterface
public interface SwitchPort
{
    /**
     * Take a copy of a frame for the guest behind this port, or drop it.
     *
     * @param frame  the frame (valid only during the call).
     * @param offset where it starts.
     * @param length its length.
     * @return whether it was queued (false: dropped and counted by the port).
     */
    boolean deliver(DirectBuffer frame, int offset, int length);
}
