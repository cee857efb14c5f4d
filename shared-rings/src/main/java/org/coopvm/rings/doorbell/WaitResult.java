package org.coopvm.rings.doorbell;

/**
 * How a wait ended.
 */
public enum WaitResult
{
    /** The condition holds: there is work. */
    READY,
    /** The timeout passed with no work and the peer still there. */
    TIMED_OUT,
    /** No work, and the peer closed, died, or stopped heartbeating: none will come. */
    PEER_GONE
}
