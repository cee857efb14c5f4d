package org.coopvm.examples.workload;

import java.util.SplittableRandom;

/**
 * Zipf-distributed keys: key {@code k} (rank {@code k + 1}) is requested with probability
 * proportional to {@code 1 / (k + 1)^s}, so key 0 is the most popular. Sampled in O(1) expected
 * time without tables by rejection-inversion (Hörmann and Derflinger, "Rejection-inversion to
 * generate variates from monotone discrete distributions", 1996), as Apache Commons RNG does.
 *
 * <p>Thread safety: not thread-safe; one reader.
 */
final class ZipfKeys implements KeyStream
{
    private final SplittableRandom random;
    private final int keys;
    private final double exponent;
    private final double hIntegralX1;
    private final double hIntegralKeys;
    private final double s;

    /**
     * @param keys     how many keys, at least 1.
     * @param exponent the Zipf exponent, above 0 (about 1 for web caches).
     * @param seed     the random seed.
     */
    ZipfKeys(final int keys, final double exponent, final long seed)
    {
        if (keys < 1 || !(exponent > 0))
        {
            throw new IllegalArgumentException("zipf needs keys >= 1 and exponent > 0: " + keys + ", " + exponent);
        }
        this.random = new SplittableRandom(seed);
        this.keys = keys;
        this.exponent = exponent;
        this.hIntegralX1 = hIntegral(1.5) - 1.0;
        this.hIntegralKeys = hIntegral(keys + 0.5);
        this.s = 2.0 - hIntegralInverse(hIntegral(2.5) - h(2));
    }

    @Override
    public int nextKey()
    {
        while (true)
        {
            final double u = hIntegralKeys + random.nextDouble() * (hIntegralX1 - hIntegralKeys);
            final double x = hIntegralInverse(u);
            final int rank = (int)Math.max(1, Math.min(keys, (long)(x + 0.5)));
            if (rank - x <= s || u >= hIntegral(rank + 0.5) - h(rank))
            {
                return rank - 1;
            }
        }
    }

    /** H(x), the integral of h from 1 to x, shifted: (x^(1-q) - 1) / (1 - q), log x for q = 1. */
    private double hIntegral(final double x)
    {
        final double logX = Math.log(x);
        return expm1OverX((1.0 - exponent) * logX) * logX;
    }

    private double h(final double x)
    {
        return Math.exp(-exponent * Math.log(x));
    }

    private double hIntegralInverse(final double x)
    {
        final double t = Math.max(-1.0, x * (1.0 - exponent));
        return Math.exp(log1pOverX(t) * x);
    }

    /** log(1 + x) / x, continuous at 0. */
    private static double log1pOverX(final double x)
    {
        return Math.abs(x) > 1e-8 ? Math.log1p(x) / x : 1.0 - x * (0.5 - x * (1.0 / 3.0 - 0.25 * x));
    }

    /** (e^x - 1) / x, continuous at 0. */
    private static double expm1OverX(final double x)
    {
        return Math.abs(x) > 1e-8 ? Math.expm1(x) / x : 1.0 + x * 0.5 * (1.0 + x * (1.0 / 3.0) * (1.0 + 0.25 * x));
    }
}
