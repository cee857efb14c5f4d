package org.coopvm.guest.net;

import org.agrona.DirectBuffer;

/**
 * Receives the Ethernet frames a vif got, on vCPU 0 (the event handler).
 *
 * <p>Thread safety: called on vCPU 0 only; the buffer is valid during the call only.
 */
@FunctionalInterface
public interface FrameHandler
{
    /**
     * @param frame  the frame (a view of the guest page the backend copied it into).
     * @param offset where it starts.
     * @param length its length, 14..1514.
     */
    void onFrame(DirectBuffer frame, int offset, int length);
}
