package org.coopvm.examples.workload;

import java.util.SplittableRandom;

/**
 * Hot-set keys: the first {@code hotFraction} of the keys (at least one) receive
 * {@code hotShare} of the requests, uniformly; the rest share the remainder, uniformly. A cache
 * that holds the hot set hits about {@code hotShare} of the time, and its hit ratio grows in a
 * straight line with memory until then: easier to reason about than Zipf.
 *
 * <p>Thread safety: not thread-safe; one reader.
 */
final class HotSetKeys implements KeyStream
{
    private final SplittableRandom random;
    private final int keys;
    private final int hotKeys;
    private final double hotShare;

    /**
     * @param keys        how many keys, at least 1.
     * @param hotFraction the hot part of the key space, in (0, 1].
     * @param hotShare    the share of requests that go to the hot keys, in [0, 1].
     * @param seed        the random seed.
     */
    HotSetKeys(final int keys, final double hotFraction, final double hotShare, final long seed)
    {
        if (keys < 1 || !(hotFraction > 0 && hotFraction <= 1) || !(hotShare >= 0 && hotShare <= 1))
        {
            throw new IllegalArgumentException("hot set needs keys >= 1, 0 < fraction <= 1, 0 <= share <= 1: " +
                keys + ", " + hotFraction + ", " + hotShare);
        }
        this.random = new SplittableRandom(seed);
        this.keys = keys;
        this.hotKeys = (int)Math.max(1, Math.min(keys, Math.round(keys * hotFraction)));
        this.hotShare = hotShare;
    }

    @Override
    public int nextKey()
    {
        if (hotKeys == keys || random.nextDouble() < hotShare)
        {
            return random.nextInt(hotKeys);
        }
        return hotKeys + random.nextInt(keys - hotKeys);
    }

    /** @return keys in the hot set ({@code 0 .. hotKeys - 1}). */
    int hotKeys()
    {
        return hotKeys;
    }
}
