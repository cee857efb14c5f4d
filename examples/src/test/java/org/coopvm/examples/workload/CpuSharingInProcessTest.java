package org.coopvm.examples.workload;

import org.awaitility.core.ConditionTimeoutException;
import org.coopvm.balloon.guest.BalloonGuestDriver;
import org.coopvm.guest.GuestKernel;
import org.coopvm.guest.KernelConfig;
import org.coopvm.guest.coop.LatencyPolicy;
import org.coopvm.guest.coop.PoliteBatchPolicy;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.hypervisor.sched.CreditScheduler;
import org.coopvm.hypervisor.sched.SchedParams;
import org.coopvm.hypervisor.sched.SchedulerSettings;
import org.coopvm.hypervisor.sched.runtime.CpuScheduler;
import org.coopvm.hypervisor.sched.runtime.CpuSchedulerConfig;
import org.coopvm.hypervisor.sched.runtime.SchedCounter;
import org.coopvm.hypervisor.usage.UsageConfig;
import org.coopvm.rings.usage.DomainCpu;
import org.coopvm.rings.usage.DomainUsage;
import org.coopvm.rings.usage.UsagePageReader;
import org.coopvm.rings.usage.UsageRead;
import org.coopvm.rings.usage.UsageSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.awaitility.Awaitility.await;

/**
 * Issue 6's share and latency tests: in-process {@code cpu-burn} and {@code latency-probe} guests on
 * a real hypervisor with one physical CPU slot and the credit scheduler at Xen's numbers (30 ms
 * slice, 10 ms tick, 1 ms rate limit), the usage page every 200 ms. Shares are of the CPU time the
 * scheduler accounted (the vCPU threads' schedstat), measured over a window after a warm-up, so a
 * loaded machine slows the test down without moving the figures much; tolerances are 5 points.
 * The overrun grace is 200 ms instead of a tick: on a machine overloaded by other builds a burner's
 * thread can wait that long for a host CPU before reaching its safe point, and a suspension for it
 * would distort the shares (enforcement has its own test, {@code CpuSlotsInProcessTest}).
 */
class CpuSharingInProcessTest
{
    private static final CpuSchedulerConfig ONE_SLOT = CpuSchedulerConfig.of(CreditScheduler.NAME, SchedulerSettings.defaults(1))
        .withEnforcement(200, CpuSchedulerConfig.DEFAULT_OVERRUN_LIMIT, CpuSchedulerConfig.DEFAULT_OVERRUN_WINDOW_MS,
            CpuSchedulerConfig.DEFAULT_PENALTY_MS);
    private static final KernelConfig QUIET = KernelConfig.DEFAULT.withStatsPeriodMs(60_000)
        .withDisabledDrivers(Set.of(BalloonGuestDriver.NAME));
    private static final Duration DEADLINE = Duration.ofSeconds(40);
    private static final long MS = 1_000_000L;
    private static final Pattern PROBE_SUMMARY = Pattern.compile(
        "latency-probe: done, (\\d+) answers, response p50 (\\d+) us, p99 (\\d+) us, p99.9 (\\d+) us, max (\\d+) us");

    private final Map<Integer, StringBuffer> consoles = new ConcurrentHashMap<>();
    private final List<GuestKernel> kernels = new ArrayList<>();
    private Hypervisor hypervisor;
    private CpuScheduler cpu;

    @BeforeEach
    void startHost()
    {
        hypervisor = new Hypervisor(HypervisorConfig.defaults(null).withCpu(ONE_SLOT).withConsole((domain, bytes, offset, length) ->
            consoles.computeIfAbsent(domain.domid(), d -> new StringBuffer()).append(bytes.getStringWithoutLengthUtf8(offset, length))),
            UsageConfig.DEFAULTS.withPeriodMs(200));
        hypervisor.start();
        cpu = hypervisor.cpuScheduler();
    }

    @AfterEach
    void stopHost()
    {
        kernels.forEach(GuestKernel::close);
        hypervisor.close();
    }

    @Test
    void threeBurnersWithWeights256And512And1024GetASeventhTwoSeventhsAndFourSevenths()
    {
        final Domain light = burner("w256", new SchedParams(256, 0, 0), Map.of());
        final Domain medium = burner("w512", new SchedParams(512, 0, 0), Map.of());
        final Domain heavy = burner("w1024", new SchedParams(1024, 0, 0), Map.of());
        awaitCpu(light, medium, heavy);

        final double[] shares = sharesOver(3000 * MS, light, medium, heavy);

        final String figures = Arrays.toString(shares) + "; " + cpu.domains();
        assertThat(shares[0]).as("weight 256: 1/7 (%s)", figures).isCloseTo(1 / 7.0, offset(0.05));
        assertThat(shares[1]).as("weight 512: 2/7 (%s)", figures).isCloseTo(2 / 7.0, offset(0.05));
        assertThat(shares[2]).as("weight 1024: 4/7 (%s)", figures).isCloseTo(4 / 7.0, offset(0.05));
        final UsageSnapshot page = awaitPage(p -> p.host().cpuSlots() == 1 && p.host().cpuLoadPermille() > 0 &&
            usage(p, heavy) > usage(p, light));
        assertThat(page.domain(heavy.domid()).orElseThrow().cpu().weight()).as("the usage page shows the weights").isEqualTo(1024);
        assertThat(page.domain(light.domid()).orElseThrow().cpu().stealNs()).as("and the steal of the light one").isPositive();
    }

    @Test
    void aCapOf25PercentHoldsForABurnerAloneOnTheSlot()
    {
        final Domain capped = burner("capped", new SchedParams(256, 25, 0), Map.of());
        awaitCpu(capped);

        final long startNs = System.nanoTime();
        final long startCpu = cpuNs(capped);
        final long startSteal = stealNs(capped);
        awaitOr(() -> System.nanoTime() - startNs >= 3000 * MS, "3 s");
        final double elapsedNs = System.nanoTime() - startNs;
        final double share = (cpuNs(capped) - startCpu) / elapsedNs;

        assertThat(share).as("accounted CPU over 3 s of wall time: at most the cap (the host may give less)")
            .isLessThanOrEqualTo(0.25 + 0.05).isGreaterThan(0.15);
        assertThat((stealNs(capped) - startSteal) / elapsedNs).as("alone on the slot, but held back (parked) much of the time")
            .isGreaterThan(0.25);
        assertThat(awaitPage(p -> p.domain(capped.domid()).orElseThrow().cpu().capPercent() == 25)).isNotNull();
    }

    /**
     * The probe's response times include the host's, and in-process guests share one JVM's pauses:
     * on this 2-vCPU machine loaded by other builds (load average 5-12) even a probe alone on an idle
     * slot had a p99 of 30-55 ms, and next to the burners 31-250 ms. So the test judges the median
     * (1-5 ms at those loads), and compares it with a control probe running at the same time with
     * weight 1: always over its share, it never wakes BOOSTed and waits behind the burners' 30 ms
     * slices, as every probe would without BOOST (its p50 was 40-260 ms).
     */
    @Test
    void aBoostedLatencyProbeAnswersWithinASliceWhileThreeBurnersRun()
    {
        for (int i = 0; i < 3; i++)
        {
            burner("burn" + i, SchedParams.DEFAULTS, Map.of());
        }
        final Map<String, String> args = Map.of("rate", "200", "service_us", "50", "seconds", "4");
        final Domain probe = boot(spec("probe", "latency-probe", args));
        final Domain control = hypervisor.createDomain(spec("control", "latency-probe", args));
        assertThat(cpu.adjust(control.domid(), new SchedParams(1, 0, 0))).isTrue();
        kernels.add(InProcessGuests.boot(hypervisor, control, QUIET));

        awaitOr(() -> console(probe).contains("latency-probe: done") && console(control).contains("latency-probe: done"),
            "both probes' summaries");

        final Matcher boosted = PROBE_SUMMARY.matcher(console(probe));
        final Matcher unboosted = PROBE_SUMMARY.matcher(console(control));
        assertThat(boosted.find() && unboosted.find()).as(consoles.toString()).isTrue();
        final String figures = "boosted: " + boosted.group() + "; control: " + unboosted.group() + "; " + cpu.domains();
        assertThat(Long.parseLong(boosted.group(1))).as("about 800 Poisson arrivals in 4 s: %s", figures).isGreaterThan(400);
        assertThat(Long.parseLong(boosted.group(2))).as("p50, us: within half a 30 ms slice: %s", figures)
            .isLessThan(15_000);
        assertThat(Long.parseLong(unboosted.group(2))).as("p50 without BOOST, us: several times longer: %s", figures)
            .isGreaterThan(3 * Long.parseLong(boosted.group(2)));
    }

    @Test
    void theLatencyPolicyGetsItsDomainTheShortSliceItAsksFor()
    {
        final Domain probe = boot(spec("probe", "latency-probe", Map.of("rate", "200", "service_us", "50"))
            .withCoopPolicy(LatencyPolicy.NAME, Map.of("slice_ms", "2", "period_ms", "200")));

        awaitOr(() -> cpu.domain(probe.domid()).orElseThrow().effective().sliceMs() == 2, "the 2 ms slice");

        assertThat(cpu.domain(probe.domid()).orElseThrow().configured().sliceMs()).as("the configuration is dom0's").isZero();
        awaitOr(() -> console(probe).contains("cooperation: latency-sensitive: slice 2 ms (asked 2 ms, configured 30 ms)"),
            "the policy's console line");
        assertThat(cpu.counter(SchedCounter.SLICE_REQUESTS)).as("0 to learn the configured slice, then 2").isEqualTo(2);
    }

    @Test
    void aPoliteBatchGuestGivesTheSlotBackWhileOthersStarveAndTakesItAgainOnceAlone()
    {
        final Domain polite = burner("polite", SchedParams.DEFAULTS, Map.of("share", "0.15", "period_ms", "200"));
        final GuestKernel politeKernel = kernels.getLast();
        final Domain plain = burner("plain", SchedParams.DEFAULTS, Map.of());
        final Domain control = burner("control", SchedParams.DEFAULTS, Map.of());
        final List<GuestKernel> others = kernels.subList(1, 3);
        awaitOr(() -> politeKernel.cpuLimit().share() < 1.0, "polite-batch never limited itself");
        awaitCpu(polite, plain, control);

        final double[] shares = sharesOver(2000 * MS, polite, plain, control);

        assertThat(shares[0]).as("polite: about 15% of the slot, where a plain burner of the same weight gets a third")
            .isLessThan(0.25);
        assertThat(shares[0]).as("well under the plain burners of the same weight").isLessThan((shares[1] + shares[2]) / 2 * 0.7);
        assertThat(politeKernel.cpuLimitRests()).isPositive();
        assertThat(console(polite)).contains("cooperation: yield: domain ");

        others.forEach(GuestKernel::close);
        hypervisor.destroyDomain(plain.domid());
        hypervisor.destroyDomain(control.domid());
        awaitOr(() -> politeKernel.cpuLimit().share() == 1.0, "polite-batch never lifted its limit");
        assertThat(console(polite)).contains("cooperation: resume: ");
    }

    private Domain burner(final String name, final SchedParams params, final Map<String, String> politeArgs)
    {
        final DomainSpec spec = spec(name, "cpu-burn", Map.of());
        final Domain domain = hypervisor.createDomain(politeArgs.isEmpty() ? spec : spec.withCoopPolicy(PoliteBatchPolicy.NAME, politeArgs));
        assertThat(cpu.adjust(domain.domid(), params)).isTrue();
        kernels.add(InProcessGuests.boot(hypervisor, domain, QUIET));
        return domain;
    }

    private Domain boot(final DomainSpec spec)
    {
        final Domain domain = hypervisor.createDomain(spec);
        kernels.add(InProcessGuests.boot(hypervisor, domain, QUIET));
        return domain;
    }

    private static DomainSpec spec(final String name, final String workload, final Map<String, String> args)
    {
        return new DomainSpec(name, 1, 16 * 1024, 16 * 1024, 0, true, workload, args, 4,
            DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES, DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES);
    }

    /** Warm-up: every domain has been charged 100 ms of CPU. */
    private void awaitCpu(final Domain... domains)
    {
        awaitOr(() ->
        {
            for (final Domain domain : domains)
            {
                if (cpuNs(domain) < 100 * MS)
                {
                    return false;
                }
            }
            return true;
        }, "warm-up");
    }

    /** @return each domain's share of the CPU the scheduler accounted to all of them until {@code totalNs} more was. */
    private double[] sharesOver(final long totalNs, final Domain... domains)
    {
        final long[] start = new long[domains.length];
        for (int i = 0; i < domains.length; i++)
        {
            start[i] = cpuNs(domains[i]);
        }
        final long[] used = new long[domains.length];
        awaitOr(() ->
        {
            long sum = 0;
            for (int i = 0; i < domains.length; i++)
            {
                used[i] = cpuNs(domains[i]) - start[i];
                sum += used[i];
            }
            return sum >= totalNs;
        }, "measurement window");
        long sum = 0;
        for (final long ns : used)
        {
            sum += ns;
        }
        final double[] shares = new double[domains.length];
        for (int i = 0; i < domains.length; i++)
        {
            shares[i] = used[i] / (double)sum;
        }
        return shares;
    }

    private long cpuNs(final Domain domain)
    {
        return cpu.domain(domain.domid()).orElseThrow().cpuNs();
    }

    private long stealNs(final Domain domain)
    {
        return cpu.domain(domain.domid()).orElseThrow().stealNs();
    }

    /** @return the first usage page (read as a guest reads it) that meets the condition. */
    private UsageSnapshot awaitPage(final Predicate<UsageSnapshot> condition)
    {
        final UsagePageReader reader = new UsagePageReader(hypervisor.usageRegion().payload().asReadOnly());
        final AtomicReference<UsageSnapshot> found = new AtomicReference<>();
        awaitOr(() ->
        {
            if (reader.read() instanceof UsageRead.Snapshot read && condition.test(read.snapshot()))
            {
                found.set(read.snapshot());
            }
            return found.get() != null;
        }, "usage page");
        return found.get();
    }

    private static int usage(final UsageSnapshot page, final Domain domain)
    {
        return page.domain(domain.domid()).map(DomainUsage::cpu).orElse(DomainCpu.UNKNOWN).usagePermille();
    }

    private void awaitOr(final Callable<Boolean> condition, final String what)
    {
        try
        {
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(50)).until(condition);
        }
        catch (final ConditionTimeoutException ex)
        {
            throw new AssertionError(what + ": " + cpu.domains() + "; consoles " + consoles, ex);
        }
    }

    private String console(final Domain domain)
    {
        return String.valueOf(consoles.get(domain.domid()));
    }
}
