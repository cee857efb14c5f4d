package org.coopvm.rings.balloon;

import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A guest thread publishes stats nonstop, every value a function of the publish number k; dom0's
 * reader on another thread must only ever accept whole publishes (a mixed copy would break the
 * relations or be rejected as a lie) and may otherwise only report TORN.
 */
class BalloonStatsSeqlockTest
{
    private static final int PUBLISHES = 100_000;
    private static final long MAXMEM_KIB = 1L << 40;

    @Test
    void everyAcceptedCopyIsOneWholePublishWhileTheGuestHammers() throws Exception
    {
        try (SharedRegion region = SharedRegion.createAnonymous(RegionType.BALLOON_STATS, 1, BalloonStatsDescriptor.PAYLOAD_LENGTH))
        {
            final BalloonStatsWriter writer = new BalloonStatsWriter().wrap(region.payload());
            final BalloonStatsReader reader = new BalloonStatsReader().wrap(region.payload());
            final long nowNs = (PUBLISHES + 1) * 1000L;
            final AtomicBoolean done = new AtomicBoolean();
            final Thread guest = Thread.ofPlatform().name("stats-writer").start(() ->
            {
                final BalloonStatsSample sample = new BalloonStatsSample();
                for (long k = 1; k <= PUBLISHES; k++)
                {
                    writer.publish(sample(sample, k), k * 1000, BalloonStatsDescriptor.MAX_PERIOD_MS);
                }
                done.set(true);
            });
            int accepted = 0;
            int torn = 0;
            while (!done.get() || accepted == 0)
            {
                final BalloonStatsRead read = reader.read(nowNs, MAXMEM_KIB);
                if (read.freshness() == StatsFreshness.FRESH)
                {
                    final BalloonStats stats = read.stats();
                    final long k = stats.publishNs() / 1000;
                    assertThat(stats.sequence()).as("sequence of publish %d", k).isEqualTo((int)(2 * k));
                    assertThat(stats.value(StatTag.TOTAL)).isEqualTo(k * 8192);
                    assertThat(stats.value(StatTag.FREE)).isEqualTo(k * 4096);
                    assertThat(stats.value(StatTag.MINOR_FAULTS)).isEqualTo(k);
                    assertThat(stats.floorKib()).isEqualTo(k);
                    assertThat(stats.workingSetKib()).isEqualTo(2 * k);
                    accepted++;
                }
                else if (read.freshness() != StatsFreshness.NONE)
                {
                    assertThat(read.problem()).as(read.detail()).isEqualTo(StatsProblem.TORN);
                    torn++;
                }
            }
            guest.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(accepted).as("accepted copies (torn reads: %d)", torn).isPositive();
        }
    }

    private static BalloonStatsSample sample(final BalloonStatsSample sample, final long k)
    {
        return sample.clear().set(StatTag.TOTAL, k * 8192).set(StatTag.FREE, k * 4096).set(StatTag.MINOR_FAULTS, k)
            .floorKib(k).workingSetKib(2 * k);
    }
}
