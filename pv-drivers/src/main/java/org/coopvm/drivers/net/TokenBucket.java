package org.coopvm.drivers.net;

/**
 * A token bucket as Firecracker's rate limiter has them: {@code size} tokens refill completely
 * every {@code refillNs} (continuously, in proportion to the time passed); an operation of
 * {@code n} tokens passes when {@code n} are there. A bucket of size 0 is unlimited. An operation
 * larger than the bucket passes when the bucket is full (and empties it), so nothing waits for
 * ever.
 *
 * <p>Not thread safe: the vif's agent only.
 */
public final class TokenBucket
{
    private final long size;
    private final long refillNs;
    private long tokens;
    private long lastNs;

    /**
     * @param size     tokens of a full bucket; 0 for unlimited.
     * @param refillNs nanoseconds to refill it from empty.
     * @param nowNs    the clock now.
     */
    public TokenBucket(final long size, final long refillNs, final long nowNs)
    {
        if (size < 0 || (size > 0 && refillNs <= 0))
        {
            throw new IllegalArgumentException("token bucket size " + size + " refill " + refillNs + " ns");
        }
        this.size = size;
        this.refillNs = refillNs;
        this.tokens = size;
        this.lastNs = nowNs;
    }

    /**
     * Take {@code n} tokens if there are enough.
     *
     * @param n     tokens the operation costs.
     * @param nowNs the clock now.
     * @return whether it passes (tokens taken).
     */
    public boolean tryTake(final long n, final long nowNs)
    {
        if (size == 0)
        {
            return true;
        }
        refill(nowNs);
        final long need = Math.min(n, size);
        if (tokens < need)
        {
            return false;
        }
        tokens -= need;
        return true;
    }

    /**
     * @param n     tokens wanted.
     * @param nowNs the clock now.
     * @return nanoseconds until {@code n} tokens are there (0: now).
     */
    public long waitNs(final long n, final long nowNs)
    {
        if (size == 0)
        {
            return 0;
        }
        refill(nowNs);
        final long missing = Math.min(n, size) - tokens;
        return missing <= 0 ? 0 : Math.ceilDiv(missing * refillNs, size);
    }

    /**
     * Give tokens back (an operation that passed one bucket but not the other).
     *
     * @param n tokens.
     */
    public void giveBack(final long n)
    {
        if (size != 0)
        {
            tokens = Math.min(size, tokens + Math.min(n, size));
        }
    }

    private void refill(final long nowNs)
    {
        final long elapsed = nowNs - lastNs;
        if (elapsed <= 0)
        {
            return;
        }
        final long added = Math.multiplyHigh(elapsed, size) != 0 ? size : elapsed * size / refillNs;
        if (added > 0)
        {
            tokens = Math.min(size, tokens + added);
            lastNs = tokens == size ? nowNs : lastNs + added * refillNs / size;
        }
    }
}
