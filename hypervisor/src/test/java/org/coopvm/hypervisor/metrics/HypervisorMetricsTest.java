package org.coopvm.hypervisor.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.hypervisor.sched.SchedulerSettings;
import org.coopvm.hypervisor.sched.runtime.CpuSchedulerConfig;
import org.coopvm.hypervisor.sched.runtime.FifoScheduler;
import org.coopvm.hypervisor.testing.FakeGuest;
import org.coopvm.hypervisor.testing.TestHost;
import org.coopvm.rings.domain.VcpuInfoDescriptor;
import org.coopvm.rings.balloon.BalloonStatsDescriptor;
import org.coopvm.rings.balloon.BalloonStatsSample;
import org.coopvm.rings.balloon.BalloonStatsWriter;
import org.coopvm.rings.balloon.StatTag;
import org.coopvm.rings.hypercall.Errno;
import org.coopvm.rings.hypercall.HypercallOp;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every meter {@link HypervisorMetrics} declares moves when what it counts happens.
 */
class HypervisorMetricsTest
{
    private static double pages(final SimpleMeterRegistry registry, final String domid, final String kind)
    {
        return registry.get("coop.domain.memory.pages").tag("domid", domid).tag("kind", kind).gauge().value();
    }

    @Test
    void everyDeclaredMeterIsUpdated()
    {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Hypervisor hypervisor = new Hypervisor(HypervisorConfig.defaults(null)))
        {
            final HypervisorMetrics metrics = new HypervisorMetrics(registry);
            metrics.bind(hypervisor);
            hypervisor.addLifecycleListener(metrics);
            final Domain domain = hypervisor.createDomain(DomainSpec.of("metrics", 1, 4096, true, "idle"));

            metrics.onHypercall(domain, 0, HypercallOp.EVENT_CHANNEL_OP, 4, 0, 1_000);
            metrics.onHypercall(domain, 0, HypercallOp.EVENT_CHANNEL_OP, 4, -Errno.EINVAL, 2_000);
            metrics.onGuestFault(domain, 99, "unknown op");
            metrics.onCrashed(domain, "too many malformed hypercalls");
            domain.balloonStats().set(ValueLayout.JAVA_INT, BalloonStatsDescriptor.SEQUENCE_OFFSET, 1);
            hypervisor.usagePublisher().doWork();

            assertThat(registry.get("coop.hypercalls").tag("op", "event_channel_op").tag("result", "ok").counter().count()).isEqualTo(1);
            assertThat(registry.get("coop.hypercalls").tag("result", "EINVAL").counter().count()).isEqualTo(1);
            assertThat(registry.get("coop.hypercall.latency").tag("op", "event_channel_op").timer().count()).isEqualTo(2);
            assertThat(registry.get("coop.guest.faults").counter().count()).isEqualTo(1);
            assertThat(registry.get("coop.guest.crashes").counter().count()).isEqualTo(1);
            assertThat(registry.get("coop.domains").tag("state", "running").gauge().value()).isEqualTo(1);
            assertThat(registry.get("coop.usage.publishes").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("coop.balloon.stats.invalid").functionCounter().count()).as("stats left torn").isEqualTo(1);
            final Set<String> names = registry.getMeters().stream().map(Meter::getId).map(Meter.Id::getName).collect(Collectors.toSet());

            final String domid = Integer.toString(domain.domid());
            assertThat(pages(registry, domid, "current")).isEqualTo(1024);
            assertThat(pages(registry, domid, "max")).isEqualTo(1024);
            assertThat(registry.get("coop.memory.pool.pages").tag("kind", "reserved").gauge().value()).isEqualTo(1024);
            final double resident = registry.get("coop.domain.memory.resident").tag("domid", domid).gauge().value();
            domain.regions().memory().payloadBuffer().setMemory(0, 64 * 4096, (byte)1);
            assertThat(registry.get("coop.domain.memory.resident").tag("domid", domid).gauge().value()).isEqualTo(resident + 64 * 4096);
            final long[] gpfns = {0, 1, 2, 3};
            hypervisor.locked(() -> hypervisor.reservations().decreaseReservation(domain.domid(), domain.memory(), gpfns, 4, 0));
            assertThat(pages(registry, domid, "current")).isEqualTo(1020);
            assertThat(registry.get("coop.domain.memory.resident").tag("domid", domid).gauge().value()).isEqualTo(resident + 60 * 4096);
            assertThat(registry.get("coop.memory.pool.pages").tag("kind", "free").gauge().value())
                .isEqualTo(HypervisorConfig.DEFAULT_POOL_PAGES - 1020);
            assertThat(registry.get("coop.memory.pool.pages").tag("kind", "total").gauge().value())
                .isEqualTo(HypervisorConfig.DEFAULT_POOL_PAGES);

            hypervisor.destroyDomain(domain.domid());
            assertThat(registry.get("coop.domains").tag("state", "running").gauge().value()).isZero();
            assertThat(registry.find("coop.domain.memory.resident").gauges()).as("a destroyed domain's meters go").isEmpty();

            assertThat(names).containsExactlyInAnyOrder("coop.hypercalls", "coop.hypercall.latency", "coop.guest.faults",
                "coop.guest.crashes", "coop.domains", "coop.events.sent", "coop.events.delivered", "coop.grants.mapped",
                "coop.grants.copied", "coop.usage.publishes", "coop.balloon.stats.invalid", "coop.memory.pool.pages", "coop.domain.memory.resident",
                "coop.domain.memory.pages", "coop.sched.events", "coop.domain.cpu.time", "coop.domain.cpu.steal",
                "coop.domain.cpu.overruns", "coop.domain.cpu.suspensions", "coop.domain.swap", "coop.domain.faults.major");
        }
        finally
        {
            registry.close();
        }
    }

    @Test
    void theSwapMetersShowWhatTheGuestClaimsInItsBalloonStatsAndNeverGoDown()
    {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Hypervisor hypervisor = new Hypervisor(HypervisorConfig.defaults(null)))
        {
            final HypervisorMetrics metrics = new HypervisorMetrics(registry);
            metrics.bind(hypervisor);
            hypervisor.addLifecycleListener(metrics);
            final Domain domain = hypervisor.createDomain(DomainSpec.of("swapper", 1, 4096, true, "idle"));
            final String domid = Integer.toString(domain.domid());
            final BalloonStatsWriter writer = new BalloonStatsWriter().wrap(domain.balloonStats());
            writer.publish(new BalloonStatsSample().clear().set(StatTag.TOTAL, 4L << 20).set(StatTag.SWAP_IN, 8192)
                .set(StatTag.SWAP_OUT, 40960).set(StatTag.MAJOR_FAULTS, 2), System.nanoTime(), 1000);
            hypervisor.usagePublisher().doWork();

            assertThat(registry.get("coop.domain.swap").tag("domid", domid).tag("direction", "in").functionCounter().count()).isEqualTo(8192);
            assertThat(registry.get("coop.domain.swap").tag("direction", "out").functionCounter().count()).isEqualTo(40960);
            assertThat(registry.get("coop.domain.faults.major").tag("domid", domid).functionCounter().count()).isEqualTo(2);

            domain.balloonStats().set(ValueLayout.JAVA_INT, BalloonStatsDescriptor.SEQUENCE_OFFSET, 99);
            hypervisor.usagePublisher().doWork();
            assertThat(registry.get("coop.domain.faults.major").functionCounter().count()).as("torn stats keep the last value").isEqualTo(2);
        }
        finally
        {
            registry.close();
        }
    }

    /**
     * One slot, a round-robin algorithm with a 10 ms slice; a holds the slot and ignores the preempt
     * flag until it is suspended while b waits: a's CPU time, overruns and suspension and b's steal
     * time move, and so do the scheduler's event counters.
     */
    @Test
    void theCpuMetersFollowTheSchedulersBooks()
    {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TestHost host = new TestHost(config -> config.withCpu(
            CpuSchedulerConfig.of(FifoScheduler.NAME, new SchedulerSettings(1, 10, 5, 0)).withEnforcement(5, 3, 1000, 100))))
        {
            final HypervisorMetrics metrics = new HypervisorMetrics(registry);
            metrics.bind(host.hypervisor());
            host.hypervisor().addLifecycleListener(metrics);
            final FakeGuest a = host.guest("a");
            final FakeGuest b = host.guest("b");
            final String domidA = Integer.toString(a.domain().domid());
            final String domidB = Integer.toString(b.domain().domid());

            a.slot(0).request(VcpuInfoDescriptor.SLOT_REQUEST_RUNNABLE);
            advance(host, 0);
            b.slot(0).request(VcpuInfoDescriptor.SLOT_REQUEST_RUNNABLE);
            for (int i = 0; i < 8 && host.hypervisor().cpuScheduler().suspendedUntilNs(a.domain().domid()).isEmpty(); i++)
            {
                advance(host, 15);
            }

            assertThat(cpu(registry, "coop.domain.cpu.time", domidA)).as("a held the slot (charged by wall time)").isPositive();
            assertThat(cpu(registry, "coop.domain.cpu.overruns", domidA)).isGreaterThanOrEqualTo(3);
            assertThat(cpu(registry, "coop.domain.cpu.suspensions", domidA)).isEqualTo(1);
            assertThat(cpu(registry, "coop.domain.cpu.steal", domidB)).as("b waited for the slot").isPositive();
            assertThat(cpu(registry, "coop.domain.cpu.suspensions", domidB)).isZero();
            assertThat(registry.get("coop.sched.events").tag("event", "grants").functionCounter().count()).isPositive();
            assertThat(registry.get("coop.sched.events").tag("event", "overruns").functionCounter().count()).isGreaterThanOrEqualTo(3);
            host.hypervisor().destroyDomain(b.domain().domid());
            assertThat(registry.find("coop.domain.cpu.steal").tag("domid", domidB).functionCounters())
                .as("a destroyed domain's meters go").isEmpty();
        }
        finally
        {
            registry.close();
        }
    }

    private static double cpu(final SimpleMeterRegistry registry, final String name, final String domid)
    {
        return registry.get(name).tag("domid", domid).functionCounter().count();
    }

    private static void advance(final TestHost host, final long ms)
    {
        host.clock().advance(ms * 1_000_000L);
        while (host.hypervisor().cpuScheduler().doWork() > 0)
        {
            // until nothing changes
        }
    }
}
