package org.coopvm.rings.doorbell;

/**
 * How a consumer waits for work from a peer in another thread or process, telling "no data
 * yet" from "the peer is gone".
 *
 * <p>Implementations are used by one waiting thread at a time.
 */
@FunctionalInterface
public interface WaitStrategy
{
    /**
     * Wait until the condition holds, the peer is gone, or the timeout passes. Work present
     * wins over a gone peer, so what a dead peer left can still be drained.
     *
     * @param condition what to wait for.
     * @param timeoutNs the longest wait in nanoseconds; 0 checks once, {@link Long#MAX_VALUE} is unbounded.
     * @return READY, TIMED_OUT or PEER_GONE.
     */
    WaitResult await(WakeCondition condition, long timeoutNs);
}
