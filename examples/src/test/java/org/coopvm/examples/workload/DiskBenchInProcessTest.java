package org.coopvm.examples.workload;

import org.coopvm.drivers.block.BlockBackend;
import org.coopvm.drivers.block.VbdListener;
import org.coopvm.guest.GuestKernel;
import org.coopvm.guest.KernelExit;
import org.coopvm.guest.hypercall.ShutdownReason;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.hypervisor.xenstore.XenstoredAccess;
import org.coopvm.rings.blkif.BlkifDevice;
import org.coopvm.rings.blkif.VirtualDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code disk-bench} on the real hypervisor and block backend: it runs its pattern against an
 * image, publishes its figures in xenstore, ends with a summary whose numbers agree with each
 * other, and powers off; a read-only disk refuses a write pattern with a clear message.
 */
class DiskBenchInProcessTest
{
    private static final Pattern SUMMARY = Pattern.compile("disk-bench: done, (\\w+) (\\d+) KiB qd (\\d+) on xvda: (\\d+) ops in ([0-9.]+) s: " +
        "(\\d+) IOPS, ([0-9.]+) MB/s, latency p50 (\\d+) us, p99 (\\d+) us, p99.9 (\\d+) us, max (\\d+) us, (\\d+) errors");

    @TempDir
    Path dir;

    private final StringBuffer console = new StringBuffer();
    private Map<String, String> published = Map.of();

    @Test
    void randomWritesAtQueueDepthEightReportConsistentFiguresAndPowerOff() throws Exception
    {
        final String out = run(Map.of("pattern", "randwrite", "bs_kib", "8", "qd", "8", "seconds", "1", "report_ms", "200"), false);

        final Matcher summary = SUMMARY.matcher(out);
        assertThat(summary.find()).as(out).isTrue();
        final long ops = Long.parseLong(summary.group(4));
        final double seconds = Double.parseDouble(summary.group(5));
        final long iops = Long.parseLong(summary.group(6));
        final double mbs = Double.parseDouble(summary.group(7));
        assertThat(summary.group(1)).isEqualTo("randwrite");
        assertThat(ops).isPositive();
        assertThat(iops).as("IOPS = ops / seconds").isCloseTo((long)(ops / seconds), org.assertj.core.data.Percentage.withPercentage(5));
        assertThat(mbs).as("MB/s = IOPS x 8 KiB").isCloseTo(iops * 8192 / 1e6, org.assertj.core.data.Percentage.withPercentage(5));
        assertThat(Long.parseLong(summary.group(9))).isGreaterThanOrEqualTo(Long.parseLong(summary.group(8)));
        assertThat(summary.group(12)).as("errors").isEqualTo("0");
        assertThat(published).containsKeys("iops", "mb-s", "p50-us", "p99-us", "p999-us", "max-us", "total-ops", "errors");
        assertThat(published.get("total-ops")).isEqualTo(Long.toString(ops));
    }

    @Test
    void aWritePatternOnAReadOnlyDiskSaysSoAndCrashes() throws Exception
    {
        final String out = run(Map.of("pattern", "write", "seconds", "1"), true);

        assertThat(out).contains("disk-bench: disk xvda is read-only");
    }

    private String run(final Map<String, String> args, final boolean readOnly) throws Exception
    {
        final Path image = dir.resolve("bench.img");
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw"))
        {
            file.setLength(16L << 20);
        }
        final HypervisorConfig config = HypervisorConfig.defaults(null).withConsole((domain, bytes, offset, length) ->
            console.append(bytes.getStringWithoutLengthUtf8(offset, length)));
        try (Hypervisor hypervisor = new Hypervisor(config);
             BlockBackend backend = new BlockBackend(hypervisor, VbdListener.NONE))
        {
            hypervisor.start();
            backend.start();
            final Domain domain = hypervisor.createDomain(new DomainSpec("bench", 1, 32 * 1024, 32 * 1024, 0, true, "disk-bench", args,
                4, DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES, DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES));
            try (XenstoredAccess dom0 = XenstoredAccess.dom0(hypervisor.xenstored(), () -> { }))
            {
                BlkifDevice.create(dom0, domain.domid(), VirtualDevice.parse("xvda").orElseThrow(), image.toString(), readOnly);
                try (GuestKernel kernel = InProcessGuests.boot(hypervisor, domain))
                {
                    assertThat(kernel.awaitTermination(Duration.ofSeconds(60))).as(console.toString()).isTrue();
                    if (!readOnly)
                    {
                        assertThat(kernel.exit()).as(console.toString()).hasValue(KernelExit.shutdown(ShutdownReason.POWEROFF));
                    }
                }
                final String data = "/local/domain/" + domain.domid() + "/data/disk-bench";
                final Map<String, String> figures = new java.util.LinkedHashMap<>();
                dom0.directory(data).forEach(name -> figures.put(name, dom0.read(data + "/" + name).orElse("")));
                published = figures;
            }
        }
        return console.toString();
    }
}
