package org.coopvm.examples.workload;

import org.agrona.concurrent.SystemEpochClock;
import org.coopvm.guest.GuestKernel;
import org.coopvm.guest.KernelConfig;
import org.coopvm.guest.mem.GuestMemory;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.rings.doorbell.WaitConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code hog} and {@code cache} workloads booted in in-process guests of a real hypervisor:
 * what they publish under {@code data/} is what dom0 reads in xenstore. The guests' kernel clock
 * is the system clock plus an offset the test moves forward, so a demand profile's phases change
 * when the test says, not when a timer happens to fire.
 */
class MemoryWorkloadsInProcessTest
{
    private static final long HOUR_NS = TimeUnit.HOURS.toNanos(1);

    private final Map<Integer, StringBuffer> consoles = new ConcurrentHashMap<>();
    private final AtomicLong clockOffsetNs = new AtomicLong();
    private Hypervisor hypervisor;

    @BeforeEach
    void startHost()
    {
        hypervisor = new Hypervisor(HypervisorConfig.defaults(null).withConsole((domain, bytes, offset, length) ->
            consoles.computeIfAbsent(domain.domid(), d -> new StringBuffer()).append(bytes.getStringWithoutLengthUtf8(offset, length))));
        hypervisor.start();
    }

    @AfterEach
    void stopHost()
    {
        hypervisor.close();
    }

    @Test
    void theHogHoldsWhatItsProfileDemandsAndGivesItBackWhenTheDemandFalls() throws Exception
    {
        final Domain domain = create("hog", 48, Map.of("profile", "step", "levels_mib", "24,8", "durations_s", "3600,1"));
        try (GuestKernel kernel = boot(domain))
        {
            final GuestMemory memory = kernel.context().memory();
            awaitFigure(domain, "hog/held-mib", "24");
            assertThat(figure(domain, "hog/demand-mib")).isEqualTo("24");
            final long freeWhileHigh = memory.freeFrames();

            clockOffsetNs.addAndGet(HOUR_NS);

            awaitFigure(domain, "hog/held-mib", "8");
            assertThat(figure(domain, "hog/demand-mib")).isEqualTo("8");
            assertThat(memory.freeFrames() - freeWhileHigh).as("16 MiB back in the guest").isEqualTo(16L * HogDriver.CHUNK_PAGES);
            assertThat(figure(domain, "hog/oom-events")).isEqualTo("0");
            assertThat(figure(domain, "hog/touch-errors")).isEqualTo("0");
            assertThat(console(domain)).contains("hog: steps [24, 8] MiB ending at [3600, 3601] s");
        }
    }

    @Test
    void theHogSurvivesDemandBeyondItsMemoryCountingOutOfMemoryAndFollowsOnceTheDemandFalls() throws Exception
    {
        final Domain domain = create("hog-oom", 16, Map.of("profile", "step", "levels_mib", "64,4", "durations_s", "3600,1"));
        try (GuestKernel kernel = boot(domain))
        {
            await().atMost(30, TimeUnit.SECONDS).until(() -> Long.parseLong(figure(domain, "hog/oom-events", "0")) >= 2);
            assertThat(Long.parseLong(figure(domain, "hog/held-mib"))).as("it holds what it got").isBetween(8L, 16L);
            assertThat(console(domain)).contains("hog: out of memory holding");

            clockOffsetNs.addAndGet(HOUR_NS);

            awaitFigure(domain, "hog/held-mib", "4");
            assertThat(kernel.exit()).as("still running").isEmpty();
        }
    }

    @Test
    void theCacheFillsItsMemoryPublishesItsHitRatioAndKeepsServingWhileTheBalloonTakesMemory() throws Exception
    {
        final Domain domain = create("cache", 16, Map.of("keys", "8192", "value_bytes", "4096", "rate", "20000", "tick_ms", "10",
            "zipf", "0.8"));
        try (GuestKernel kernel = boot(domain))
        {
            final GuestMemory memory = kernel.context().memory();
            await().atMost(30, TimeUnit.SECONDS).until(() -> Long.parseLong(figure(domain, "cache/bytes", "0")) >= 12L << 20);
            await().atMost(30, TimeUnit.SECONDS).until(() -> Double.parseDouble(figure(domain, "cache/hit-ratio", "0")) > 0.3);
            assertThat(memory.stats().cacheBytes()).isGreaterThanOrEqualTo(12L << 20);

            // offline(n) is "up to n", as for the balloon: the busy cache may refill part of what it
            // shrank before offline takes it, so take the 4 MiB in as many tries as that needs.
            final AtomicInteger ballooned = new AtomicInteger();
            await().atMost(30, TimeUnit.SECONDS)
                .until(() -> ballooned.addAndGet((int)memory.offline(1024 - ballooned.get()).frames()) >= 1024);

            assertThat(ballooned).as("4 MiB, taken from the cache").hasValue(1024);
            await().atMost(30, TimeUnit.SECONDS).until(() -> Long.parseLong(figure(domain, "cache/reclaimed-bytes", "0")) >= 4L << 20);
            final long requests = Long.parseLong(figure(domain, "cache/requests"));
            await().atMost(30, TimeUnit.SECONDS).until(() -> Long.parseLong(figure(domain, "cache/requests")) > requests);
            assertThat(Long.parseLong(figure(domain, "cache/bytes"))).as("the cache lives in what the balloon left")
                .isLessThanOrEqualTo((16L << 20) - (4L << 20));
            assertThat(figure(domain, "cache/bad-values")).isEqualTo("0");
            assertThat(Double.parseDouble(figure(domain, "cache/hit-ratio-total"))).isBetween(0.0, 1.0);
            assertThat(console(domain)).contains("cache: 8192 keys of 4096 bytes (32 MiB to cache all), 20000 requests/s");
        }
    }

    private Domain create(final String name, final int memoryMib, final Map<String, String> args)
    {
        return hypervisor.createDomain(new DomainSpec(name, 1, memoryMib * 1024L, memoryMib * 1024L, 0, true, name.startsWith("hog") ?
            "hog" : "cache", args, 4, DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES, DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES));
    }

    private GuestKernel boot(final Domain domain)
    {
        final KernelConfig config = new KernelConfig(SystemEpochClock.INSTANCE, () -> System.nanoTime() + clockOffsetNs.get(),
            WaitConfig.DEFAULT, KernelConfig.DEFAULT_HEARTBEAT_INTERVAL_MS, KernelConfig.DEFAULT_HOST_TIMEOUT_MS,
            KernelConfig.DEFAULT_STOP_GRACE_MS);
        return InProcessGuests.boot(hypervisor, domain, config);
    }

    private void awaitFigure(final Domain domain, final String name, final String value)
    {
        await().atMost(30, TimeUnit.SECONDS).until(() -> value.equals(figure(domain, name, "")));
    }

    private String figure(final Domain domain, final String name)
    {
        return figure(domain, name, null);
    }

    private String figure(final Domain domain, final String name, final String missing)
    {
        return hypervisor.xenstored().read("/local/domain/" + domain.domid() + "/data/" + name)
            .map(bytes -> new String(bytes, StandardCharsets.UTF_8)).orElse(missing);
    }

    private String console(final Domain domain)
    {
        return String.valueOf(consoles.get(domain.domid()));
    }
}
