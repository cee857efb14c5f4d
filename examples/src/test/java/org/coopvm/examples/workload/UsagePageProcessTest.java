package org.coopvm.examples.workload;

import org.coopvm.guest.GuestMain;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.hypervisor.usage.HostMemorySource;
import org.coopvm.hypervisor.usage.UsageConfig;
import org.coopvm.rings.balloon.StatsFreshness;
import org.coopvm.rings.domain.DomainFiles;
import org.coopvm.rings.hypercall.SchedOpDescriptor;
import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;
import org.coopvm.rings.testing.ChildJvm;
import org.coopvm.rings.testing.ShmDirectory;
import org.coopvm.rings.usage.DomainUsage;
import org.coopvm.rings.usage.UsagePageReader;
import org.coopvm.rings.usage.UsageRead;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The usage page end to end on the real hypervisor with process guests: an {@code idle} guest's
 * kernel publishes its memory stats, dom0's publisher puts them on {@code <run>/usage} next to
 * the host's numbers, and a second guest ({@code test-usage}) reads them from its read-only mapping.
 */
class UsagePageProcessTest
{
    private final Map<Integer, StringBuffer> consoles = new ConcurrentHashMap<>();

    @Test
    void oneProcessGuestsStatsReachAnotherProcessGuestThroughTheUsagePage() throws Exception
    {
        try (ShmDirectory run = new ShmDirectory())
        {
            final HypervisorConfig config = HypervisorConfig.defaults(run.path()).withConsole((domain, bytes, offset, length) ->
                consoles.computeIfAbsent(domain.domid(), d -> new StringBuffer()).append(bytes.getStringWithoutLengthUtf8(offset, length)));
            try (Hypervisor hypervisor = new Hypervisor(config, UsageConfig.DEFAULTS.withPeriodMs(100));
                 SharedRegion page = SharedRegion.attachFileReadOnly(new DomainFiles(run.path()).usage(), RegionType.USAGE))
            {
                hypervisor.hostMemory(HostMemorySource.pool(65536, () -> 3072));
                hypervisor.start();
                final UsagePageReader dom0View = new UsagePageReader(page.payload());
                final Domain idle = hypervisor.createDomain(spec("usage-idle", "idle"));
                try (ChildJvm idleGuest = guest(run, idle))
                {
                    final DomainUsage seen = await().atMost(60, TimeUnit.SECONDS)
                        .until(() -> entry(dom0View, idle.domid()), e -> e.isPresent() && e.get().statsState() == StatsFreshness.FRESH)
                        .orElseThrow();
                    assertThat(seen.currentKib()).isEqualTo(1024);
                    assertThat(seen.maxKib()).isEqualTo(2048);
                    assertThat(seen.targetKib()).as("memory/target from xenstore").isEqualTo(1024);
                    assertThat(seen.guestFreeKib()).as("the idle guest's free memory, as it reports it").isBetween(1L, 1024L);

                    final Domain probe = hypervisor.createDomain(spec("usage-probe", "test-usage"));
                    try (ChildJvm probeGuest = guest(run, probe))
                    {
                        assertThat(probeGuest.awaitExit(Duration.ofSeconds(60))).as(probeGuest.output()).isZero();
                    }
                    assertThat(probe.shutdownCode()).isEqualTo(SchedOpDescriptor.SHUTDOWN_POWEROFF);
                    assertThat(consoleOf(probe))
                        .contains("period=100 pool=65536/62464")
                        .containsPattern("usage dom" + idle.domid() + " current=1024 target=1024 min=0 max=2048 free=\\d+ ws=\\d+ stats=FRESH")
                        .contains("usage dom" + probe.domid() + " current=1024");

                    hypervisor.shutdown(idle.domid(), SchedOpDescriptor.SHUTDOWN_POWEROFF, "test over");
                    assertThat(idleGuest.awaitExit(Duration.ofSeconds(30))).as(idleGuest.output()).isZero();
                }
            }
        }
    }

    private static Optional<DomainUsage> entry(final UsagePageReader reader, final int domid)
    {
        return reader.read() instanceof UsageRead.Snapshot(final var snapshot) ? snapshot.domain(domid) : Optional.empty();
    }

    private static ChildJvm guest(final ShmDirectory run, final Domain domain)
    {
        return ChildJvm.start(GuestMain.class, "--run-dir", run.path().toString(), "--domid", String.valueOf(domain.domid()));
    }

    private String consoleOf(final Domain domain)
    {
        return String.valueOf(consoles.get(domain.domid()));
    }

    private static DomainSpec spec(final String name, final String workload)
    {
        return new DomainSpec(name, 1, 1024, 2048, 0, false, workload, Map.of(), 4,
            DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES, DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES);
    }
}
