package org.coopvm.hypervisor.usage;

import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.rings.domain.DomainFiles;
import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;
import org.coopvm.rings.testing.ShmDirectory;
import org.coopvm.rings.usage.UsagePageReader;
import org.coopvm.rings.usage.UsageRead;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The publisher on its own thread: it keeps publishing to {@code <run>/usage}, and sleeps in between. */
class UsagePublisherAgentTest
{
    @Test
    void aStartedHostRepublishesItsUsageFileEveryPeriodAndSleepsInBetween() throws Exception
    {
        try (ShmDirectory run = new ShmDirectory();
             Hypervisor hypervisor = new Hypervisor(HypervisorConfig.defaults(run.path()), UsageConfig.DEFAULTS.withPeriodMs(50)))
        {
            hypervisor.createDomain(DomainSpec.of("idle", 1, 1024, true, "idle"));
            hypervisor.start();
            try (SharedRegion guestMapping = SharedRegion.attachFileReadOnly(new DomainFiles(run.path()).usage(), RegionType.USAGE))
            {
                final UsagePageReader reader = new UsagePageReader(guestMapping.payload());
                await().atMost(10, TimeUnit.SECONDS).until(() -> reader.read() instanceof UsageRead.Snapshot(var page) &&
                    page.domains().size() == 1);

                final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                final long threadId = hypervisor.usageRunner().thread().threadId();
                final long publishesBefore = hypervisor.usagePublisher().publishes();
                final long cpuBefore = threads.getThreadCpuTime(threadId);
                Thread.sleep(500);
                final long cpuNs = threads.getThreadCpuTime(threadId) - cpuBefore;

                assertThat(hypervisor.usagePublisher().publishes() - publishesBefore).as("publishes in 500 ms at a 50 ms period")
                    .isBetween(3L, 11L);
                assertThat(cpuNs).as("CPU of the publisher over 500 ms").isLessThan(TimeUnit.MILLISECONDS.toNanos(50));
                assertThat(hypervisor.agentErrors()).isZero();
            }
        }
    }
}
