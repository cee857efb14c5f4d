package org.coopvm.guest.stats;

import org.coopvm.guest.GuestKernel;
import org.coopvm.guest.KernelConfig;
import org.coopvm.guest.mem.AllocationResult;
import org.coopvm.guest.testing.FakeHost;
import org.coopvm.rings.balloon.BalloonStatsRead;
import org.coopvm.rings.balloon.BalloonStatsReader;
import org.coopvm.rings.balloon.StatTag;
import org.coopvm.rings.balloon.StatsFreshness;
import org.coopvm.rings.usage.DomainCpu;
import org.coopvm.rings.usage.DomainUsage;
import org.coopvm.rings.usage.HostUsage;
import org.coopvm.rings.usage.UsagePageReader;
import org.coopvm.rings.usage.UsageRead;
import org.coopvm.rings.usage.UsageSnapshot;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An in-process kernel reads the host's usage page through {@code GuestContext.usage()} and
 * publishes its memory stats from a timer, at its period, without burning CPU in between.
 */
class GuestUsageTest
{
    private static final KernelConfig FAST_STATS = KernelConfig.DEFAULT.withStatsPeriodMs(50);

    @Test
    void aWorkloadReadsWhatDom0PublishedOnTheUsagePage() throws Exception
    {
        try (FakeHost host = FakeHost.inProcess(21, 1, "test-idle", Map.of());
             GuestKernel kernel = GuestKernel.boot(host.bootRegions()))
        {
            final UsagePageReader usage = kernel.context().usage().orElseThrow();
            assertThat(usage.read()).isInstanceOfSatisfying(UsageRead.Unavailable.class,
                none -> assertThat(none.reason()).isEqualTo(UsageRead.Reason.NOT_PUBLISHED));

            final DomainUsage self = new DomainUsage(21, 0, 256, 192, 64, 512, 100, 120, 30, StatsFreshness.FRESH, DomainCpu.UNKNOWN);
            host.usageWriter().publish(System.nanoTime(), 1000, 0, HostUsage.memory(1 << 20, 1 << 19), List.of(self));

            assertThat(usage.read()).isInstanceOfSatisfying(UsageRead.Snapshot.class, ok ->
            {
                final UsageSnapshot page = ok.snapshot();
                assertThat(page.host().poolFreeKib()).isEqualTo(1 << 19);
                assertThat(page.domain(kernel.domid())).contains(self);
            });
        }
    }

    @Test
    void aHostWithoutAUsagePageLeavesTheContextWithoutOne() throws Exception
    {
        try (FakeHost host = FakeHost.inProcess(22, 1, "test-idle", Map.of());
             GuestKernel kernel = GuestKernel.boot(host.bootRegions().withUsage(null, null)))
        {
            await().atMost(5, TimeUnit.SECONDS).until(() -> host.console().contains("workload test-idle"));
            assertThat(kernel.context().usage()).isEmpty();
            assertThat(kernel.statsPublished()).isZero();
        }
    }

    @Test
    void theKernelPublishesItsMemoryStatsEveryPeriodAndTheyFollowItsAllocations() throws Exception
    {
        try (FakeHost host = FakeHost.inProcess(23, 1, "test-idle", Map.of());
             GuestKernel kernel = GuestKernel.boot(host.bootRegions(), FAST_STATS))
        {
            final BalloonStatsReader dom0 = new BalloonStatsReader().wrap(host.balloonStats());
            final int frames = kernel.context().memory().onlineFrames();
            final BalloonStatsRead first = await().atMost(5, TimeUnit.SECONDS)
                .until(() -> dom0.read(System.nanoTime(), frames * 4L), read -> read.freshness() == StatsFreshness.FRESH);
            assertThat(first.stats().value(StatTag.TOTAL)).isEqualTo(frames * 4096L);
            assertThat(first.stats().isValid(StatTag.MINOR_FAULTS)).as("not known: left invalid").isFalse();
            assertThat(first.stats().value(StatTag.MAJOR_FAULTS)).as("no swap: no major faults").isZero();
            assertThat(first.stats().value(StatTag.SWAP_OUT)).isZero();
            assertThat(first.stats().periodMs()).isEqualTo(50);

            for (int i = 0; i < 10; i++)
            {
                assertThat(kernel.context().memory().allocatePages(1)).isInstanceOf(AllocationResult.Allocated.class);
            }
            final long freeNow = (long)kernel.context().memory().freeFrames() * 4096;
            final BalloonStatsRead later = await().atMost(5, TimeUnit.SECONDS).until(() -> dom0.read(System.nanoTime(), frames * 4L),
                read -> read.freshness() == StatsFreshness.FRESH && read.stats().value(StatTag.FREE) == freeNow);
            assertThat(later.stats().sequence()).isGreaterThan(first.stats().sequence());
            assertThat(later.stats().workingSetKib()).isEqualTo((frames * 4096L - freeNow) / 1024);
        }
    }

    @Test
    void betweenPublishesTheVcpuSleeps() throws Exception
    {
        try (FakeHost host = FakeHost.inProcess(24, 1, "test-idle", Map.of());
             GuestKernel kernel = GuestKernel.boot(host.bootRegions(), FAST_STATS))
        {
            await().atMost(5, TimeUnit.SECONDS).until(() -> kernel.statsPublished() >= 2);
            final long[] ids = threadsNamed("dom24-vcpu");
            assertThat(ids).hasSize(1);
            final long cpuStartNs = cpuTime(ids);
            final long publishedBefore = kernel.statsPublished();
            final long wallStartNs = System.nanoTime();

            await().pollDelay(500, TimeUnit.MILLISECONDS).atMost(2, TimeUnit.SECONDS).until(() -> true);

            final long cpuNs = cpuTime(ids) - cpuStartNs;
            final long wallNs = System.nanoTime() - wallStartNs;
            assertThat(kernel.statsPublished() - publishedBefore).as("publishes in %d ns at 50 ms", wallNs).isGreaterThanOrEqualTo(4);
            assertThat(cpuNs).as("CPU time (ns) of the vCPU over %d ns", wallNs).isLessThan(wallNs / 20);
        }
    }

    private static long[] threadsNamed(final String prefix)
    {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return Arrays.stream(threads.getThreadInfo(threads.getAllThreadIds()))
            .filter(info -> info != null && info.getThreadName().startsWith(prefix))
            .mapToLong(ThreadInfo::getThreadId).toArray();
    }

    private static long cpuTime(final long[] ids)
    {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return Arrays.stream(ids).map(id -> Math.max(0, threads.getThreadCpuTime(id))).sum();
    }
}
