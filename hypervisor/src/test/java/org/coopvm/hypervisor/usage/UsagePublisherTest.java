package org.coopvm.hypervisor.usage;

import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.hypervisor.testing.ManualNanoClock;
import org.coopvm.rings.balloon.BalloonStatsSample;
import org.coopvm.rings.balloon.BalloonStatsWriter;
import org.coopvm.rings.balloon.StatTag;
import org.coopvm.rings.balloon.StatsFreshness;
import org.coopvm.rings.balloon.StatsProblem;
import org.coopvm.hypervisor.sched.Priority;
import org.coopvm.hypervisor.sched.SchedParams;
import org.coopvm.hypervisor.sched.VcpuSchedState;
import org.coopvm.hypervisor.sched.runtime.DomainSchedInfo;
import org.coopvm.hypervisor.sched.runtime.VcpuSchedInfo;
import org.coopvm.rings.usage.CpuPriority;
import org.coopvm.rings.usage.DomainCpu;
import org.coopvm.rings.usage.DomainUsage;
import org.coopvm.rings.usage.HostUsage;
import org.coopvm.rings.usage.UsageEntryDescriptor;
import org.coopvm.rings.usage.UsagePageDescriptor;
import org.coopvm.rings.usage.UsagePageReader;
import org.coopvm.rings.usage.UsageRead;
import org.coopvm.rings.usage.UsageSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The usage publisher, driven by hand on a manual clock, fills the page from the hypervisor's books and the guests' stats. */
class UsagePublisherTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final ManualNanoClock clock = new ManualNanoClock();
    private final Hypervisor hypervisor = new Hypervisor(HypervisorConfig.defaults(null).withNanoClock(clock));
    private final UsagePublisher publisher = hypervisor.usagePublisher();
    private final UsagePageReader guestView = new UsagePageReader(hypervisor.usageRegion().payload().asReadOnly());

    @AfterEach
    void close()
    {
        hypervisor.close();
    }

    @Test
    void thePageShowsEachDomainsMemoryItsXenstoreTargetAndTheHostPool()
    {
        final Domain web = hypervisor.createDomain(spec("web", 4096, 8192));
        final Domain db = hypervisor.createDomain(spec("db", 2048, 2048));
        hypervisor.hostMemory(HostMemorySource.pool(65536, () -> 6144));
        hypervisor.xenstored().write("/local/domain/" + web.domid() + "/memory/target", "3072".getBytes(StandardCharsets.US_ASCII));
        hypervisor.xenstored().write("/local/domain/" + db.domid() + "/memory/target", "lots".getBytes(StandardCharsets.US_ASCII));

        assertThat(publisher.doWork()).isEqualTo(1);

        final UsageSnapshot page = snapshot();
        assertThat(page.publishNs()).isEqualTo(clock.nanoTime());
        assertThat(page.periodMs()).isEqualTo(1000);
        assertThat(page.host()).isEqualTo(new HostUsage(65536, 59392, hypervisor.cpuScheduler().settings().slots(), 0));
        assertThat(page.hasFlag(UsagePageDescriptor.FLAG_POOL_UNKNOWN)).isFalse();
        assertThat(page.domains()).extracting(DomainUsage::domid).containsExactly(web.domid(), db.domid());
        final DomainUsage webEntry = page.domain(web.domid()).orElseThrow();
        assertThat(webEntry.currentKib()).isEqualTo(4096);
        assertThat(webEntry.maxKib()).isEqualTo(8192);
        assertThat(webEntry.targetKib()).isEqualTo(3072);
        assertThat(webEntry.minKib()).isZero();
        assertThat(webEntry.statsState()).isEqualTo(StatsFreshness.NONE);
        assertThat(webEntry.statsAgeMs()).isEqualTo(UsageEntryDescriptor.NO_STATS_AGE);
        assertThat(page.domain(db.domid()).orElseThrow().targetKib()).as("a non-numeric target is unknown").isZero();
    }

    @Test
    void itPublishesOncePerPeriodAndSaysHowLongUntilTheNext()
    {
        assertThat(publisher.doWork()).isEqualTo(1);
        assertThat(publisher.doWork()).isZero();
        assertThat(publisher.nanosUntilDue()).isEqualTo(1000 * MS);
        clock.advance(999 * MS);
        assertThat(publisher.doWork()).isZero();
        assertThat(publisher.nanosUntilDue()).isEqualTo(MS);
        clock.advance(MS);
        assertThat(publisher.doWork()).isEqualTo(1);
        assertThat(publisher.publishes()).isEqualTo(2);
        assertThat(snapshot().sequence()).isEqualTo(4);
    }

    @Test
    void byDefaultThePageShowsTheHypervisorsMemoryPool()
    {
        hypervisor.createDomain(spec("web", 4096, 8192));
        publisher.doWork();
        final long poolKib = HypervisorConfig.DEFAULT_POOL_PAGES * 4;
        assertThat(snapshot().hasFlag(UsagePageDescriptor.FLAG_POOL_UNKNOWN)).isFalse();
        assertThat(snapshot().host().poolTotalKib()).isEqualTo(poolKib);
        assertThat(snapshot().host().poolFreeKib()).as("the domain's 4096 KiB are held").isEqualTo(poolKib - 4096);
    }

    @Test
    void withoutAPoolSourceThePageSaysThePoolIsUnknown()
    {
        hypervisor.hostMemory(HostMemorySource.UNKNOWN);
        publisher.doWork();
        assertThat(snapshot().hasFlag(UsagePageDescriptor.FLAG_POOL_UNKNOWN)).isTrue();
        assertThat(snapshot().host().poolTotalKib()).isZero();
        assertThat(snapshot().host().poolFreeKib()).isZero();
    }

    @Test
    void guestStatsAreShownFreshThenStaleAndALieIsShownInvalidWithoutValuesAndCounted()
    {
        final Domain web = hypervisor.createDomain(spec("web", 4096, 8192));
        final BalloonStatsWriter guest = new BalloonStatsWriter().wrap(web.balloonStats());
        guest.publish(new BalloonStatsSample().set(StatTag.TOTAL, 4096L * 1024).set(StatTag.FREE, 1024L * 1024).workingSetKib(2500),
            clock.nanoTime(), 1000);
        clock.advance(40 * MS);

        publisher.doWork();
        final DomainUsage fresh = snapshot().domain(web.domid()).orElseThrow();
        assertThat(fresh.statsState()).isEqualTo(StatsFreshness.FRESH);
        assertThat(fresh.guestFreeKib()).isEqualTo(1024);
        assertThat(fresh.guestWorkingSetKib()).isEqualTo(2500);
        assertThat(fresh.statsAgeMs()).isEqualTo(40);

        clock.advance(3000 * MS);
        publisher.doWork();
        final DomainUsage stale = snapshot().domain(web.domid()).orElseThrow();
        assertThat(stale.statsState()).isEqualTo(StatsFreshness.STALE);
        assertThat(stale.guestFreeKib()).as("stale values are still shown, with their age").isEqualTo(1024);
        assertThat(stale.statsAgeMs()).isEqualTo(3040);

        guest.publish(new BalloonStatsSample().set(StatTag.TOTAL, 1L << 40).set(StatTag.FREE, 1L << 39), clock.nanoTime(), 1000);
        clock.advance(1000 * MS);
        publisher.doWork();
        final DomainUsage lie = snapshot().domain(web.domid()).orElseThrow();
        assertThat(lie.statsState()).isEqualTo(StatsFreshness.INVALID);
        assertThat(lie.guestFreeKib()).isZero();
        assertThat(lie.statsAgeMs()).isEqualTo(UsageEntryDescriptor.NO_STATS_AGE);
        assertThat(lie.currentKib()).as("the host's own numbers are unaffected").isEqualTo(4096);
        assertThat(publisher.stats(web.domid())).hasValueSatisfying(read -> assertThat(read.problem()).isEqualTo(StatsProblem.OVER_MAXMEM));
        assertThat(publisher.invalidStatsReads()).isEqualTo(1);
    }

    @Test
    void lifecycleStatesAreFlagsAndADestroyedDomainLeavesThePage()
    {
        final Domain web = hypervisor.createDomain(spec("web", 4096, 4096));
        final Domain db = hypervisor.createDomain(spec("db", 4096, 4096));
        hypervisor.pause(web.domid());
        publisher.doWork();
        assertThat(snapshot().domain(web.domid()).orElseThrow().hasFlag(UsageEntryDescriptor.FLAG_PAUSED)).isTrue();
        assertThat(snapshot().domain(db.domid()).orElseThrow().flags()).isZero();

        hypervisor.destroyDomain(web.domid());
        clock.advance(1000 * MS);
        publisher.doWork();
        assertThat(snapshot().domains()).extracting(DomainUsage::domid).containsExactly(db.domid());
        assertThat(publisher.stats(web.domid())).isEmpty();
        assertThat(publisher.stats(db.domid())).isPresent();
    }

    @Test
    void moreDomainsThanThePageHoldsAreCutAndThePageSaysSo()
    {
        final UsageConfig small = UsageConfig.DEFAULTS.withCapacity(2);
        try (Hypervisor host = new Hypervisor(HypervisorConfig.defaults(null).withNanoClock(clock), small))
        {
            host.createDomain(spec("a", 1024, 1024));
            host.createDomain(spec("b", 1024, 1024));
            host.createDomain(spec("c", 1024, 1024));
            host.usagePublisher().doWork();

            final UsageRead read = new UsagePageReader(host.usageRegion().payload()).read();
            assertThat(read).isInstanceOfSatisfying(UsageRead.Snapshot.class, ok ->
            {
                assertThat(ok.snapshot().hasFlag(UsagePageDescriptor.FLAG_TRUNCATED)).isTrue();
                assertThat(ok.snapshot().domains()).extracting(DomainUsage::domid).containsExactly(1, 2);
            });
        }
    }

    @Test
    void aConfigOutsideItsRangesIsRefusedNamingTheSetting()
    {
        assertThatThrownBy(() -> UsageConfig.DEFAULTS.withPeriodMs(5)).hasMessageContaining("periodMs 5 outside 10..60000");
        assertThatThrownBy(() -> UsageConfig.DEFAULTS.withPeriodMs(60_001)).hasMessageContaining("periodMs");
        assertThatThrownBy(() -> UsageConfig.DEFAULTS.withCapacity(0)).hasMessageContaining("capacity 0 outside 1..32768");
        assertThatThrownBy(() -> new UsageConfig(1000, 1024, 0)).hasMessageContaining("stalePeriods");
        assertThat(UsageConfig.DEFAULTS).isEqualTo(new UsageConfig(1000, 1024, 3));
    }

    @Test
    void theCpuPartShowsTheSchedulersParametersAndCreditStateAndUsageOverThePeriod()
    {
        final Domain web = hypervisor.createDomain(spec("web", 4096, 8192));
        hypervisor.cpuScheduler().adjust(web.domid(), new SchedParams(512, 25, 0));

        publisher.doWork();

        final DomainCpu cpu = snapshot().domain(web.domid()).orElseThrow().cpu();
        assertThat(cpu.weight()).isEqualTo(512);
        assertThat(cpu.capPercent()).isEqualTo(25);
        assertThat(cpu.runnableVcpus()).isZero();
        assertThat(cpu.bestPriority()).as("its vCPU has not asked for a slot").isEqualTo(CpuPriority.IDLE);
        assertThat(cpu.worstPriority()).isEqualTo(CpuPriority.IDLE);
        assertThat(cpu.suspended()).isFalse();
        assertThat(snapshot().host().cpuSlots()).isEqualTo(hypervisor.cpuScheduler().settings().slots());
    }

    @Test
    void usageIsTheCpuChargedBetweenTwoPublishesAndTheLoadItsShareOfAllSlots()
    {
        final Domain web = hypervisor.createDomain(spec("web", 4096, 8192));
        final Domain db = hypervisor.createDomain(spec("db", 4096, 8192));
        final long[] cpuNs = {0, 0};
        publisher.cpu(new CpuUsageSource()
        {
            @Override
            public int slots()
            {
                return 2;
            }

            @Override
            public List<CpuUsageSource.DomainCpuTotals> domains()
            {
                return List.of(
                    new CpuUsageSource.DomainCpuTotals(web.domid(), 1, 256, 0, cpuNs[0], 7 * MS, 1, DomainCpu.creditState(
                        CpuPriority.UNDER, CpuPriority.OVER, true)),
                    new CpuUsageSource.DomainCpuTotals(db.domid(), 1, 256, 0, cpuNs[1], 0, 0, 0));
            }
        });
        cpuNs[0] = 100 * MS;
        publisher.doWork();
        assertThat(snapshot().domain(web.domid()).orElseThrow().cpu().usagePermille()).as("no period yet").isZero();

        clock.advance(1000 * MS);
        cpuNs[0] = 350 * MS;
        cpuNs[1] = 500 * MS;
        publisher.doWork();

        final DomainCpu webCpu = snapshot().domain(web.domid()).orElseThrow().cpu();
        assertThat(webCpu.usagePermille()).as("250 ms of CPU in 1 s").isEqualTo(250);
        assertThat(webCpu.cpuTimeNs()).isEqualTo(350 * MS);
        assertThat(webCpu.stealNs()).isEqualTo(7 * MS);
        assertThat(webCpu.runnableVcpus()).isEqualTo(1);
        assertThat(webCpu.bestPriority()).isEqualTo(CpuPriority.UNDER);
        assertThat(webCpu.worstPriority()).isEqualTo(CpuPriority.OVER);
        assertThat(webCpu.suspended()).isTrue();
        assertThat(snapshot().domain(db.domid()).orElseThrow().cpu().usagePermille()).as("a domain first seen counts from 0")
            .isEqualTo(500);
        assertThat(snapshot().host().cpuLoadPermille()).as("750 ms of 2 slots x 1 s").isEqualTo(375);

        publisher.cpu(CpuUsageSource.NONE);
        clock.advance(1000 * MS);
        publisher.doWork();
        assertThat(snapshot().domain(web.domid()).orElseThrow().cpu()).as("a domain the scheduler does not know").isEqualTo(DomainCpu.UNKNOWN);
        assertThat(snapshot().host().cpuSlots()).isZero();
    }

    @Test
    void theCreditStateIsTheBestAndWorstPriorityOfTheVcpusAndTheSuspension()
    {
        final DomainSchedInfo info = new DomainSchedInfo(3, SchedParams.DEFAULTS, SchedParams.DEFAULTS, 0, false, List.of(
            vcpu(0, Priority.OVER), vcpu(1, Priority.BOOST), vcpu(2, Priority.PARKED)));

        final DomainCpu cpu = new DomainCpu(256, 0, 0, 0, 0, 0, CpuUsageSource.creditState(info));

        assertThat(cpu.bestPriority()).isEqualTo(CpuPriority.BOOST);
        assertThat(cpu.worstPriority()).isEqualTo(CpuPriority.PARKED);
        assertThat(cpu.suspended()).isFalse();
        assertThat(cpu.creditState()).as("bits 0..7 best, 8..15 worst").isEqualTo(1 | 5 << 8);
    }

    private static VcpuSchedInfo vcpu(final int id, final Priority priority)
    {
        return new VcpuSchedInfo(3, id, 1, 0, 0, 0, 0, 0, 0, 0, false, new VcpuSchedState(priority, 0), -1);
    }

    private UsageSnapshot snapshot()
    {
        final UsageRead read = guestView.read();
        assertThat(read).isInstanceOf(UsageRead.Snapshot.class);
        return ((UsageRead.Snapshot)read).snapshot();
    }

    private static DomainSpec spec(final String name, final long memoryKib, final long maxmemKib)
    {
        return new DomainSpec(name, 1, memoryKib, maxmemKib, 0, true, "idle", java.util.Map.of(), 1,
            DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES, DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES);
    }
}
