package org.coopvm.examples.workload;

import org.coopvm.guest.coop.CooperationPolicies;
import org.coopvm.guest.coop.MemoryCooperativePolicy;
import org.coopvm.guest.workload.Workload;
import org.coopvm.hypervisor.config.DomainConfig;
import org.coopvm.hypervisor.config.Isolation;
import org.coopvm.hypervisor.config.LifecycleAction;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every config in {@code examples/domains/} parses, names a workload the guest kernel finds (and a
 * cooperation policy it accepts with those parameters), and
 * (for the memory workloads) carries arguments the workload accepts; the demo's three guests fit
 * the default 1024 MiB pool at boot.
 */
class ExampleDomainsTest
{
    private static final Path DOMAINS = Path.of("domains");

    @Test
    void everyExampleParsesAndNamesAKnownWorkload() throws IOException
    {
        final List<String> workloads = ServiceLoader.load(Workload.class).stream().map(provider -> provider.get().name()).toList();
        try (Stream<Path> files = Files.list(DOMAINS))
        {
            assertThat(files.filter(file -> file.toString().endsWith(".cfg")).map(DomainConfig::read))
                .isNotEmpty()
                .allSatisfy(config -> assertThat(workloads).contains(config.workload()))
                .allSatisfy(config -> assertThat(config.coopPolicy().isEmpty() ||
                    CooperationPolicies.select(config.coopPolicy(), config.coopPolicyArgMap()) != null).isTrue())
                .anySatisfy(config -> assertThat(config.coopPolicy()).isEqualTo(MemoryCooperativePolicy.NAME));
        }
    }

    @Test
    void theMemoryWorkloadsAcceptTheirExampleArgumentsAndTheDemoTrioFitsASmallPool()
    {
        final DomainConfig cache = DomainConfig.read(DOMAINS.resolve("cache.cfg"));
        final DomainConfig hog = DomainConfig.read(DOMAINS.resolve("hog.cfg"));
        final DomainConfig idle = DomainConfig.read(DOMAINS.resolve("idle.cfg"));

        final CacheConfig cacheConfig = CacheConfig.from(args(cache));
        final HogConfig hogConfig = HogConfig.from(args(hog));

        assertThat(cacheConfig.keySpaceBytes()).as("caching every key takes more than the cache's maxmem")
            .isGreaterThanOrEqualTo((long)cache.maxmemMib() << 20);
        assertThat(hogConfig.profile().demandMib(0)).isLessThan(hogConfig.profile().demandMib(27));
        assertThat(hogConfig.profile().demandMib(27)).as("the peak needs more than the hog boots with").isGreaterThan(hog.memoryMib());
        assertThat(hogConfig.profile().demandMib(60)).as("back down within a minute").isEqualTo(hogConfig.profile().demandMib(0));
        assertThat(hogConfig.profile().demandMib(27)).isLessThanOrEqualTo(hog.maxmemMib());
        assertThat(cache.memoryMib() + hog.memoryMib() + idle.memoryMib()).isLessThanOrEqualTo(1024);
    }

    @Test
    void theWeightedCpuBurnTrioBurnsOneVcpuEachUntilShutDownWithWeights256To1024()
    {
        final List<DomainConfig> trio = List.of(256, 512, 1024).stream()
            .map(weight -> DomainConfig.read(DOMAINS.resolve("cpu-burn-w" + weight + ".cfg"))).toList();

        assertThat(trio).extracting(config -> config.sched().weight()).containsExactly(256, 512, 1024);
        assertThat(trio).allSatisfy(config ->
        {
            assertThat(config.name()).isEqualTo("cpu-burn-w" + config.sched().weight());
            assertThat(config.workload()).isEqualTo("cpu-burn");
            assertThat(config.workloadArgs()).as("no seconds: it burns until shut down").isEmpty();
            assertThat(config.vcpus()).isEqualTo(1);
            assertThat(config.sched().capPercent()).isZero();
        });
        assertThat(DomainConfig.read(DOMAINS.resolve("latency-probe.cfg")).sched().weight()).isEqualTo(256);
    }

    @Test
    void theIoPairHasADiskAndAVifEachRunsDiskBenchThenNetStreamBetweenThemAndIsKept()
    {
        final List<DomainConfig> pair = List.of(DomainConfig.read(DOMAINS.resolve("io-a.cfg")), DomainConfig.read(DOMAINS.resolve("io-b.cfg")));

        assertThat(pair).allSatisfy(config ->
        {
            assertThat(config.disks()).hasSize(1);
            assertThat(config.vifs()).hasSize(1);
            assertThat(config.isolation()).isEqualTo(Isolation.PROCESS);
            assertThat(config.onPoweroff()).as("figures stay readable").isEqualTo(LifecycleAction.PRESERVE);
            final List<SequenceWorkload.Step> steps = SequenceWorkload.steps(args(config));
            assertThat(steps).extracting(step -> step.workload().name()).containsExactly("disk-bench", "net-stream");
            assertThat(DiskBenchConfig.from(steps.get(0).args()).runNs()).as("disk-bench ends, so net-stream starts").isPositive();
        });
        assertThat(pair).extracting(config -> SequenceWorkload.steps(args(config)).get(1).args().get("role"))
            .containsExactly("receive", "send");
        assertThat(pair.get(0).disks().get(0).target()).isNotEqualTo(pair.get(1).disks().get(0).target());
        assertThat(pair.get(0).vifs().get(0).mac()).isNotEqualTo(pair.get(1).vifs().get(0).mac());
    }

    private static Map<String, String> args(final DomainConfig config)
    {
        final Map<String, String> args = new LinkedHashMap<>();
        for (final String arg : config.workloadArgs())
        {
            args.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        return args;
    }
}
