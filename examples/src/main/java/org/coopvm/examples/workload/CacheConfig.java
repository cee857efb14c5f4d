package org.coopvm.examples.workload;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code cache} workload's arguments, validated once (an error names the key):
 *
 * <ul>
 * <li>{@code keys} (default 32768): size of the key space, 1..16777216.</li>
 * <li>{@code value_bytes} (default 16384): bytes per value, 8..1048576; with {@code keys} it sets how
 * much memory caching everything takes (the defaults: 512 MiB).</li>
 * <li>{@code rate} (default 2000): requests per second, served in batches each tick.</li>
 * <li>{@code zipf} (default 0.9 when {@code hot} is not given): Zipf exponent of the key
 * popularity, 0.01..10.</li>
 * <li>{@code hot} and {@code hot_share} (default 0.9): instead of Zipf, the fraction of the keys
 * (0.000001..1) that receives {@code hot_share} (0..1) of the requests.</li>
 * <li>{@code seed} (default 1): the stream's random seed: same seed, same stream.</li>
 * <li>{@code tick_ms} (default 50): period of the batches, 1..1000.</li>
 * </ul>
 *
 * <p>Thread safety: immutable.
 *
 * @param keys          key space.
 * @param valueBytes    bytes per value.
 * @param ratePerSecond requests per second.
 * @param zipfExponent  Zipf exponent, or 0 for a hot set.
 * @param hotFraction   hot part of the key space, or 0 for Zipf.
 * @param hotShare      share of requests to the hot set.
 * @param seed          random seed.
 * @param tickMs        batch period.
 */
record CacheConfig(int keys, int valueBytes, int ratePerSecond, double zipfExponent, double hotFraction, double hotShare,
    long seed, long tickMs)
{
    /** The arguments the workload reads. */
    static final Set<String> KEYS = Set.of("keys", "value_bytes", "rate", "zipf", "hot", "hot_share", "seed", "tick_ms");
    /** Zipf exponent when neither {@code zipf} nor {@code hot} is given. */
    static final double DEFAULT_ZIPF = 0.9;
    /** Largest key space: 16 Mi keys. */
    static final int MAX_KEYS = 1 << 24;

    /**
     * @param args the domain config's workload arguments.
     * @return the validated configuration.
     * @throws IllegalArgumentException naming the key that is unknown, malformed or out of range.
     */
    static CacheConfig from(final Map<String, String> args)
    {
        WorkloadArgs.requireKnown(args, KEYS, "cache");
        if (args.containsKey("zipf") && args.containsKey("hot"))
        {
            throw new IllegalArgumentException("workload arguments zipf and hot exclude each other: give one distribution");
        }
        if (args.containsKey("hot_share") && !args.containsKey("hot"))
        {
            throw new IllegalArgumentException("workload argument hot_share needs hot");
        }
        final boolean hot = args.containsKey("hot");
        return new CacheConfig(
            (int)WorkloadArgs.longArg(args, "keys", 32768, 1, MAX_KEYS),
            (int)WorkloadArgs.longArg(args, "value_bytes", 16384, CacheStore.MIN_VALUE_BYTES, CacheStore.MAX_VALUE_BYTES),
            (int)WorkloadArgs.longArg(args, "rate", 2000, 1, 1_000_000),
            hot ? 0 : WorkloadArgs.doubleArg(args, "zipf", DEFAULT_ZIPF, 0.01, 10),
            hot ? WorkloadArgs.doubleArg(args, "hot", 0, 0.000001, 1) : 0,
            WorkloadArgs.doubleArg(args, "hot_share", 0.9, 0, 1),
            WorkloadArgs.longArg(args, "seed", 1),
            WorkloadArgs.longArg(args, "tick_ms", 50, 1, 1000));
    }

    /** @return the seeded key stream this configuration describes. */
    KeyStream keyStream()
    {
        return hotFraction > 0 ? new HotSetKeys(keys, hotFraction, hotShare, seed) : new ZipfKeys(keys, zipfExponent, seed);
    }

    /** @return most requests in one tick: twice the nominal batch, so a late tick catches up a little. */
    int maxBatch()
    {
        return (int)Math.max(1, Math.min(Integer.MAX_VALUE, 2L * ratePerSecond * tickMs / 1000));
    }

    /** @return bytes that would cache every key. */
    long keySpaceBytes()
    {
        return (long)keys * valueBytes;
    }

    /** @return a one-line description for the console. */
    String describe()
    {
        final String distribution = hotFraction > 0 ?
            String.format(Locale.ROOT, "hot set %.3g of the keys gets %.3g of the requests", hotFraction, hotShare) :
            String.format(Locale.ROOT, "zipf %.3g", zipfExponent);
        return keys + " keys of " + valueBytes + " bytes (" + (keySpaceBytes() >> 20) + " MiB to cache all), " +
            ratePerSecond + " requests/s every " + tickMs + " ms, " + distribution + ", seed " + seed;
    }
}
