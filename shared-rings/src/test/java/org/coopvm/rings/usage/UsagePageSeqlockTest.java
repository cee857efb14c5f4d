package org.coopvm.rings.usage;

import org.coopvm.rings.balloon.StatsFreshness;
import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A writer thread republishes the page nonstop, every field a function of the publish number k
 * (and the entry count too); a reader on another thread checks that every snapshot it gets is
 * one whole publish: never a mix of two.
 */
class UsagePageSeqlockTest
{
    private static final int PUBLISHES = 100_000;

    @Test
    void everySnapshotIsOneWholePublishWhileTheWriterHammers() throws Exception
    {
        try (SharedRegion region = SharedRegion.createAnonymous(RegionType.USAGE, 0, UsagePageDescriptor.payloadLength(64)))
        {
            final UsagePageWriter writer = new UsagePageWriter().wrap(region.payload());
            final UsagePageReader reader = new UsagePageReader(region.payload().asReadOnly());
            writer.publish(0, 0, 0, host(0), domains(0));
            final AtomicBoolean done = new AtomicBoolean();
            final Thread hammer = Thread.ofPlatform().name("usage-writer").start(() ->
            {
                for (int k = 1; k <= PUBLISHES; k++)
                {
                    writer.publish(k, k, 0, host(k), domains(k));
                }
                done.set(true);
            });
            int snapshots = 0;
            int torn = 0;
            long lastK = -1;
            while (!done.get() || snapshots == 0)
            {
                final UsageRead read = reader.read();
                if (read instanceof UsageRead.Snapshot(final UsageSnapshot snapshot))
                {
                    final long k = snapshot.publishNs();
                    assertThat(snapshot.periodMs()).as("period of publish %d", k).isEqualTo((int)k);
                    assertThat(snapshot.host()).as("host of publish %d", k).isEqualTo(host(k));
                    assertThat(snapshot.domains()).as("entries of publish %d", k).isEqualTo(domains(k));
                    assertThat(k).as("publishes seen in order").isGreaterThanOrEqualTo(lastK);
                    lastK = k;
                    snapshots++;
                }
                else
                {
                    assertThat(read).isInstanceOfSatisfying(UsageRead.Unavailable.class,
                        unavailable -> assertThat(unavailable.reason()).isEqualTo(UsageRead.Reason.TORN));
                    torn++;
                }
            }
            hammer.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(snapshots).as("consistent snapshots (torn reads: %d)", torn).isPositive();
            assertThat(snapshot(reader.read()).publishNs()).as("the last publish, once quiet").isEqualTo(PUBLISHES);
        }
    }

    private static UsageSnapshot snapshot(final UsageRead read)
    {
        return UsagePageTest.snapshot(read);
    }

    private static HostUsage host(final long k)
    {
        return new HostUsage(k * 4, k * 2, (int)(k % 64), (int)(k % 1000));
    }

    private static List<DomainUsage> domains(final long k)
    {
        final int count = 1 + (int)(k % 16);
        final List<DomainUsage> domains = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            domains.add(new DomainUsage(i + 1, (int)(k & 7), k * 100 + i, k * 90 + i, k, k * 200 + i, k * 10, k * 20, (int)k,
                StatsFreshness.values()[(int)(k % 4)], new DomainCpu((int)k, i, k * 3, k * 5, (int)(k % 1000), i, (int)k)));
        }
        return domains;
    }
}
