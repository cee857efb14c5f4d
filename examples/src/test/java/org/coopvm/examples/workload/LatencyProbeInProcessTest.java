package org.coopvm.examples.workload;

import org.coopvm.guest.GuestKernel;
import org.coopvm.guest.KernelExit;
import org.coopvm.guest.hypercall.ShutdownReason;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.rings.hypercall.SchedOpDescriptor;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code latency-probe} on the real hypervisor: requests arrive as VIRQ_TIMER events at Poisson
 * times, every arrival is answered, and the response-time figures come out ordered.
 */
class LatencyProbeInProcessTest
{
    private static final Pattern SUMMARY = Pattern.compile(
        "latency-probe: done, (\\d+) answers, response p50 (\\d+) us, p99 (\\d+) us, p99.9 (\\d+) us, max (\\d+) us");

    private final StringBuffer console = new StringBuffer();
    private final Map<String, String> published = new HashMap<>();

    @Test
    void answersEveryArrivalOfItsRunAndReportsOrderedPercentiles() throws Exception
    {
        final String out = run(Map.of("rate", "500", "seconds", "2", "service_us", "20", "report_ms", "200"));

        final Matcher summary = SUMMARY.matcher(out);
        assertThat(summary.find()).as(out).isTrue();
        final long answers = Long.parseLong(summary.group(1));
        final long p50 = Long.parseLong(summary.group(2));
        final long p99 = Long.parseLong(summary.group(3));
        final long max = Long.parseLong(summary.group(5));
        assertThat(answers).as("about 1000 Poisson arrivals in 2 s at 500/s").isBetween(600L, 1400L);
        assertThat(p50).as("an answer includes its 20 us of work").isGreaterThanOrEqualTo(20);
        assertThat(p99).isGreaterThanOrEqualTo(p50);
        assertThat(max).isGreaterThanOrEqualTo(p99);
        assertThat(out).contains("requests on VIRQ_TIMER port");
    }

    @Test
    void withASecondVcpuTheFiguresAreStillPublishedAndEveryArrivalAnswered() throws Exception
    {
        final String out = run(2, Map.of("rate", "500", "seconds", "2", "service_us", "20", "report_ms", "200"));

        final Matcher summary = SUMMARY.matcher(out);
        assertThat(summary.find()).as(out).isTrue();
        assertThat(Long.parseLong(summary.group(1))).as("about 1000 Poisson arrivals in 2 s at 500/s").isBetween(600L, 1400L);
        assertThat(published).as("the windows' figures, written from vCPU 1").containsKeys("requests", "p50-us", "p99-us", "total-requests");
        assertThat(Long.parseLong(published.get("total-requests"))).isPositive().isLessThanOrEqualTo(Long.parseLong(summary.group(1)));
    }

    @Test
    void rejectsAnOutOfRangeRateNamingTheArgument() throws Exception
    {
        final String out = run(Map.of("rate", "0"));

        assertThat(out).contains("rate").contains("0");
    }

    private String run(final Map<String, String> args) throws Exception
    {
        return run(1, args);
    }

    private String run(final int vcpus, final Map<String, String> args) throws Exception
    {
        final HypervisorConfig config = HypervisorConfig.defaults(null).withConsole((domain, bytes, offset, length) ->
            console.append(bytes.getStringWithoutLengthUtf8(offset, length)));
        try (Hypervisor hypervisor = new Hypervisor(config))
        {
            hypervisor.start();
            final Domain domain = hypervisor.createDomain(new DomainSpec("probe", vcpus, 1024, 1024, 0, true, "latency-probe", args,
                4, DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES, DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES));
            try (GuestKernel kernel = InProcessGuests.boot(hypervisor, domain))
            {
                assertThat(kernel.awaitTermination(Duration.ofSeconds(30))).as(console.toString()).isTrue();
                if (args.containsKey("seconds"))
                {
                    assertThat(kernel.exit()).as(console.toString()).hasValue(KernelExit.shutdown(ShutdownReason.POWEROFF));
                    assertThat(domain.shutdownCode()).isEqualTo(SchedOpDescriptor.SHUTDOWN_POWEROFF);
                }
                for (final String name : List.of("requests", "p50-us", "p99-us", "total-requests"))
                {
                    hypervisor.xenstored().read("/local/domain/" + domain.domid() + "/data/latency-probe/" + name)
                        .ifPresent(bytes -> published.put(name, new String(bytes, StandardCharsets.UTF_8)));
                }
            }
        }
        return console.toString();
    }
}
