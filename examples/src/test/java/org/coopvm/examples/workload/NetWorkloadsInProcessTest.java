package org.coopvm.examples.workload;

import org.agrona.concurrent.SystemNanoClock;
import org.coopvm.drivers.net.NetBackend;
import org.coopvm.drivers.net.VifListener;
import org.coopvm.guest.GuestKernel;
import org.coopvm.guest.KernelExit;
import org.coopvm.guest.hypercall.ShutdownReason;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.hypervisor.xenstore.XenstoredAccess;
import org.coopvm.rings.netif.MacAddress;
import org.coopvm.rings.netif.NetifDevice;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code net-pingpong} and {@code net-stream} between two in-process guests on the real
 * hypervisor, net backend and switch: each pair finds its peer by a broadcast hello, runs, reports
 * figures that agree with each other in xenstore and on the console, and both guests power off.
 */
class NetWorkloadsInProcessTest
{
    private static final Pattern STREAM = Pattern.compile(
        "net-stream: received (\\d+) of (\\d+) frames \\((\\d+) lost\\), (\\d+) payload bytes, ([0-9.]+) Gbit/s");
    private static final Pattern SENT = Pattern.compile("net-stream: sent (\\d+) frames, (\\d+) payload bytes, ([0-9.]+) Gbit/s");
    private static final Pattern WINDOW = Pattern.compile("window (\\d+) frames, (\\d+) stalls");
    private static final Pattern PINGPONG = Pattern.compile("net-pingpong: done, (\\d+) answers, response p50 (\\d+) us, p99 (\\d+) us");

    private final StringBuffer console = new StringBuffer();

    @Test
    void pingPongMeasuresEveryRoundTripAndBothGuestsPowerOff() throws Exception
    {
        final Map<String, String> figures = runPair("net-pingpong", Map.of("role", "pong"), Map.of("role", "ping", "messages", "300"),
            "net-pingpong");

        final Matcher done = PINGPONG.matcher(console);
        assertThat(done.find()).as(console.toString()).isTrue();
        assertThat(done.group(1)).isEqualTo("300");
        assertThat(Long.parseLong(done.group(3))).isGreaterThanOrEqualTo(Long.parseLong(done.group(2)));
        assertThat(figures).containsEntry("total-requests", "300").containsKeys("total-p50-us", "total-p99-us");
    }

    @Test
    void streamDeliversEveryFrameSentAndReportsGbitPerSecond() throws Exception
    {
        final Map<String, String> figures = runPair("net-stream", Map.of("role", "receive", "report_ms", "200"),
            Map.of("role", "send", "seconds", "1"), "net-stream");

        final Matcher received = STREAM.matcher(console);
        final Matcher sent = SENT.matcher(console);
        assertThat(received.find()).as(console.toString()).isTrue();
        assertThat(sent.find()).as(console.toString()).isTrue();
        final long frames = Long.parseLong(received.group(1));
        assertThat(received.group(2)).as("the bye tells the receiver how many were sent").isEqualTo(sent.group(1));
        assertThat(frames).as("every frame sent is received or counted lost (dropped at a full receive queue)").isPositive()
            .isEqualTo(Long.parseLong(sent.group(1)) - Long.parseLong(received.group(3)));
        assertThat(Long.parseLong(received.group(4))).as("1500-byte payloads").isEqualTo(frames * 1500);
        assertThat(Long.parseLong(sent.group(2))).isEqualTo(Long.parseLong(sent.group(1)) * 1500);
        assertThat(Double.parseDouble(received.group(5))).isPositive();
        assertThat(Double.parseDouble(sent.group(3))).isPositive();
        assertThat(figures).containsEntry("total-frames", received.group(1)).containsEntry("sent-frames", sent.group(1))
            .containsEntry("lost-frames", received.group(3)).containsKeys("gbit-s", "total-gbit-s");
    }

    @Test
    void aReceiverOmittingTheFirstSecondReportsTheRateOfTheRestNextToTheWhole() throws Exception
    {
        final Map<String, String> figures = runPair("net-stream", Map.of("role", "receive", "report_ms", "200", "omit_s", "1"),
            Map.of("role", "send", "seconds", "2"), "net-stream");

        final Matcher received = STREAM.matcher(console);
        assertThat(received.find()).as(console.toString()).isTrue();
        assertThat(console.toString()).containsPattern("Gbit/s, [0-9.]+ Gbit/s after the first 1 s");
        assertThat(Double.parseDouble(figures.get("steady-gbit-s"))).as("the rate after the omitted second: %s", figures).isPositive();
        assertThat(Double.parseDouble(figures.get("total-gbit-s"))).isPositive();
    }

    @Test
    void theWindowSlowsTheSenderToTheReceiverSoFramesAreLostOnlyAfterAStall() throws Exception
    {
        runPair("net-stream", Map.of("role", "receive", "report_ms", "200"), Map.of("role", "send", "seconds", "1", "window", "64"),
            "net-stream");

        final Matcher received = STREAM.matcher(console);
        final Matcher window = WINDOW.matcher(console);
        assertThat(received.find() && window.find()).as(console.toString()).isTrue();
        assertThat(window.group(1)).isEqualTo("64");
        final long stalls = Long.parseLong(window.group(2));
        assertThat(Long.parseLong(received.group(3))).as("lost: 64 frames in flight fit the receiver's buffers, so only a stall "
            + "(an acknowledgement 200 ms late, the window opened anyway) can overfill them: %s", console)
            .isLessThanOrEqualTo(stalls * 64);
        assertThat(Long.parseLong(received.group(1))).isPositive();
    }

    /** @return what the first guest (the measuring one for net-stream, the second for net-pingpong) published. */
    private Map<String, String> runPair(final String workload, final Map<String, String> first, final Map<String, String> second,
        final String dataDir) throws Exception
    {
        final HypervisorConfig config = HypervisorConfig.defaults(null).withConsole((domain, bytes, offset, length) ->
            console.append(bytes.getStringWithoutLengthUtf8(offset, length)));
        try (Hypervisor hypervisor = new Hypervisor(config);
             NetBackend backend = new NetBackend(hypervisor, SystemNanoClock.INSTANCE, VifListener.NONE);
             XenstoredAccess dom0 = XenstoredAccess.dom0(hypervisor.xenstored(), () -> { }))
        {
            hypervisor.start();
            backend.start();
            final Domain a = domain(hypervisor, dom0, "a", workload, first, 0x0a);
            final Domain b = domain(hypervisor, dom0, "b", workload, second, 0x0b);
            try (GuestKernel kernelA = InProcessGuests.boot(hypervisor, a);
                 GuestKernel kernelB = InProcessGuests.boot(hypervisor, b))
            {
                for (final GuestKernel kernel : new GuestKernel[] {kernelA, kernelB})
                {
                    assertThat(kernel.awaitTermination(Duration.ofSeconds(60))).as(console.toString()).isTrue();
                    assertThat(kernel.exit()).as(console.toString()).hasValue(KernelExit.shutdown(ShutdownReason.POWEROFF));
                }
            }
            final Map<String, String> figures = new LinkedHashMap<>();
            for (final Domain domain : new Domain[] {a, b})
            {
                final String data = "/local/domain/" + domain.domid() + "/data/" + dataDir;
                dom0.directory(data).forEach(name -> figures.put(name, dom0.read(data + "/" + name).orElse("")));
            }
            return figures;
        }
    }

    private static Domain domain(final Hypervisor hypervisor, final XenstoredAccess dom0, final String name, final String workload,
        final Map<String, String> args, final int macByte)
    {
        final Domain domain = hypervisor.createDomain(new DomainSpec(name, 1, 32 * 1024, 32 * 1024, 0, true, workload, args, 4,
            DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES, DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES));
        NetifDevice.create(dom0, domain.domid(), 0, MacAddress.generated(domain.domid(), macByte), Map.of());
        return domain;
    }
}
