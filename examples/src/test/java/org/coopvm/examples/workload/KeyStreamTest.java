package org.coopvm.examples.workload;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The cache's request streams: in range, reproducible from their seed, and shaped as configured
 * (seeded, so the tolerances below are checks of the shape, not of luck).
 */
class KeyStreamTest
{
    private static final int SAMPLES = 200_000;

    @Test
    void zipfKeysFollowOneOverRankToTheExponent()
    {
        final int[] counts = counts(new ZipfKeys(1000, 1.0, 7), 1000);

        assertThat((double)counts[0] / counts[1]).as("rank 1 vs rank 2: 2^1").isCloseTo(2.0, within(0.1));
        assertThat((double)counts[0] / counts[9]).as("rank 1 vs rank 10: 10^1").isCloseTo(10.0, within(1.0));
        final double harmonic = harmonic(1000, 1.0);
        assertThat((double)counts[0] / SAMPLES).as("share of the top key").isCloseTo(1 / harmonic, within(0.005));
    }

    @Test
    void zipfHandlesExponentsOtherThanOneAndASingleKey()
    {
        final int[] counts = counts(new ZipfKeys(100, 0.5, 7), 100);
        assertThat((double)counts[0] / counts[3]).as("rank 1 vs rank 4: 4^0.5").isCloseTo(2.0, within(0.15));

        final ZipfKeys one = new ZipfKeys(1, 1.2, 7);
        for (int i = 0; i < 100; i++)
        {
            assertThat(one.nextKey()).isZero();
        }
    }

    @Test
    void theSameSeedGivesTheSameStreamAndAnotherSeedAnother()
    {
        assertThat(sequence(new ZipfKeys(5000, 0.9, 11))).isEqualTo(sequence(new ZipfKeys(5000, 0.9, 11)))
            .isNotEqualTo(sequence(new ZipfKeys(5000, 0.9, 12)));
        assertThat(sequence(new HotSetKeys(5000, 0.1, 0.8, 11))).isEqualTo(sequence(new HotSetKeys(5000, 0.1, 0.8, 11)));
    }

    @Test
    void theHotSetGetsItsShareSpreadEvenly()
    {
        final HotSetKeys keys = new HotSetKeys(1000, 0.1, 0.8, 5);
        final int[] counts = counts(keys, 1000);
        long hot = 0;
        for (int k = 0; k < keys.hotKeys(); k++)
        {
            hot += counts[k];
        }

        assertThat(keys.hotKeys()).isEqualTo(100);
        assertThat((double)hot / SAMPLES).isCloseTo(0.8, within(0.01));
        assertThat(counts[0]).as("a hot key: 0.8 / 100 of the requests").isBetween(1400, 1800);
        assertThat(counts[999]).as("a cold key: 0.2 / 900 of the requests").isBetween(20, 75);
    }

    @Test
    void badArgumentsAreErrorsNamingTheKey()
    {
        assertThatThrownBy(() -> CacheConfig.from(Map.of("zipf", "0.9", "hot", "0.1"))).hasMessageContaining("zipf and hot");
        assertThatThrownBy(() -> CacheConfig.from(Map.of("zipf", "0"))).hasMessageContaining("zipf=0 is outside 0.01..10");
        assertThatThrownBy(() -> CacheConfig.from(Map.of("value_bytes", "4"))).hasMessageContaining("value_bytes=4 is outside 8..1048576");
        assertThatThrownBy(() -> CacheConfig.from(Map.of("rate", "fast"))).hasMessageContaining("rate=fast is not a number");
        assertThatThrownBy(() -> CacheConfig.from(Map.of("hot_share", "0.5"))).hasMessageContaining("hot_share needs hot");
        assertThatThrownBy(() -> CacheConfig.from(Map.of("value_size", "4096"))).hasMessageContaining("value_size is unknown to cache");
        final CacheConfig hot = CacheConfig.from(Map.of("hot", "0.25", "keys", "400", "seed", "9"));
        assertThat(hot.keyStream()).isInstanceOf(HotSetKeys.class);
        assertThat(CacheConfig.from(Map.of()).keyStream()).isInstanceOf(ZipfKeys.class);
        assertThat(CacheConfig.from(Map.of()).keySpaceBytes()).as("defaults: 512 MiB to cache every key").isEqualTo(512L << 20);
    }

    private static int[] counts(final KeyStream keys, final int range)
    {
        final int[] counts = new int[range];
        for (int i = 0; i < SAMPLES; i++)
        {
            final int key = keys.nextKey();
            assertThat(key).isBetween(0, range - 1);
            counts[key]++;
        }
        return counts;
    }

    private static int[] sequence(final KeyStream keys)
    {
        final int[] sequence = new int[1000];
        for (int i = 0; i < sequence.length; i++)
        {
            sequence[i] = keys.nextKey();
        }
        return sequence;
    }

    private static double harmonic(final int n, final double s)
    {
        double sum = 0;
        for (int k = 1; k <= n; k++)
        {
            sum += Math.pow(k, -s);
        }
        return sum;
    }
}
