package org.coopvm.drivers.net;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The token buckets let through what the configured rate allows, measured on an injected clock. */
class RateLimiterTest
{
    private static final long MS = 1_000_000L;

    @Test
    void byteBucketAdmitsTheConfiguredRateOverTenSeconds()
    {
        // 10 Mb/s @ 20 ms as xl computes it: 25000 bytes per 20 ms.
        final RateLimiter limiter = new RateLimiter(25_000, 20 * MS, 0, 0);
        long bytes = 0;
        for (long now = 0; now < 10_000 * MS; now += MS / 10)
        {
            while (limiter.tryPass(1500, now))
            {
                bytes += 1500;
            }
        }
        assertThat(bytes).isBetween(1_250_000L * 10 - 30_000, 1_250_000L * 10 + 30_000);
    }

    @Test
    void packetBucketLimitsFramesPerSecondAndSaysHowLongToWait()
    {
        final RateLimiter limiter = new RateLimiter(0, 1, 1000, 0);
        int frames = 0;
        while (limiter.tryPass(64, 0))
        {
            frames++;
        }
        assertThat(frames).as("a full bucket").isEqualTo(1000);
        assertThat(limiter.waitNs(64, 0)).isEqualTo(MS);
        assertThat(limiter.tryPass(64, MS)).isTrue();
        assertThat(limiter.tryPass(64, MS)).isFalse();
    }
}
