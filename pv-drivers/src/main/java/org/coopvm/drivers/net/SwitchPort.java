package org.coopvm.drivers.net;

import org.agrona.DirectBuffer;

/**
 * One port of the {@link NetSwitch}: where frames for a vif go.
 *
 * <p>Thread safety: {@link #deliver} and {@link #flush} are called by any vif's agent thread
 * concurrently.
 */
@FunctionalInterface
public interface SwitchPort
{
    /**
     * Copy a frame for the guest behind this port (into a buffer it posted, or its queue), or drop it.
     * The frame may be the sending guest's own page, which that guest can change at any time: its
     * first {@link NetSwitch#HEADER_LENGTH} bytes are taken from {@code header} instead, the
     * private copy the switch forwarded on, so what arrives is addressed as it was switched.
     *
     * @param header the frame's Ethernet header as the switch read it (private, {@link NetSwitch#HEADER_LENGTH} bytes).
     * @param frame  the frame (valid only during the call); its first header bytes are not read.
     * @param offset where it starts.
     * @param length its length, at least {@link NetSwitch#HEADER_LENGTH}.
     * @return whether it was taken (false: dropped and counted by the port).
     */
    boolean deliver(DirectBuffer header, DirectBuffer frame, int offset, int length);

    /**
     * The end of a sender's batch: make what {@link #deliver} copied visible to the guest (push the
     * responses, notify if it asked). Nothing by default.
     */
    default void flush()
    {
    }
}
