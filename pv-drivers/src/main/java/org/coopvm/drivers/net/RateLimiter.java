package org.coopvm.drivers.net;

/**
 * A vif's transmit rate limiter, as Firecracker's: a bucket of bytes and a bucket of packets; a
 * frame passes when both have tokens. Built from the vif's {@code rate=} (bytes per interval) and
 * {@code rate-packets=} (packets per second).
 *
 * <p>Not thread safe: the vif's agent only.
 */
public final class RateLimiter
{
    /** A limiter that lets everything through. */
    public static final long UNLIMITED = 0;

    private final TokenBucket bytes;
    private final TokenBucket packets;

    /**
     * @param bytesPerInterval byte tokens of a full bucket (0: unlimited).
     * @param intervalNs       refill time of the byte bucket.
     * @param packetsPerSecond packet tokens per second (0: unlimited).
     * @param nowNs            the clock now.
     */
    public RateLimiter(final long bytesPerInterval, final long intervalNs, final long packetsPerSecond, final long nowNs)
    {
        this.bytes = new TokenBucket(bytesPerInterval, intervalNs, nowNs);
        this.packets = new TokenBucket(packetsPerSecond, 1_000_000_000L, nowNs);
    }

    /**
     * @param frameBytes the frame's length.
     * @param nowNs      the clock now.
     * @return whether the frame may go now (tokens taken from both buckets).
     */
    public boolean tryPass(final int frameBytes, final long nowNs)
    {
        if (!bytes.tryTake(frameBytes, nowNs))
        {
            return false;
        }
        if (!packets.tryTake(1, nowNs))
        {
            bytes.giveBack(frameBytes);
            return false;
        }
        return true;
    }

    /**
     * @param frameBytes the frame's length.
     * @param nowNs      the clock now.
     * @return nanoseconds until the frame could pass.
     */
    public long waitNs(final int frameBytes, final long nowNs)
    {
        return Math.max(bytes.waitNs(frameBytes, nowNs), packets.waitNs(1, nowNs));
    }
}
