package org.coopvm.examples.workload;

import org.coopvm.drivers.block.BlockBackend;
import org.coopvm.drivers.block.VbdListener;
import org.coopvm.guest.GuestMain;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.hypervisor.xenstore.XenstoredAccess;
import org.coopvm.rings.blkif.BlkifDevice;
import org.coopvm.rings.blkif.VirtualDevice;
import org.coopvm.rings.hypercall.SchedOpDescriptor;
import org.coopvm.rings.testing.ChildJvm;
import org.coopvm.rings.testing.ShmDirectory;
import org.junit.jupiter.api.Test;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two process guests ({@link GuestMain} in child JVMs), each with its own disk served by dom0's
 * block backend in this JVM, run {@code disk-bench} at the same time (one random reads, one
 * sequential writes), report their figures on the console and in xenstore, and power off.
 */
class DiskBenchProcessTest
{
    private final Map<Integer, StringBuffer> consoles = new ConcurrentHashMap<>();

    @Test
    void twoProcessGuestsWithADiskEachRunDiskBenchAndReport() throws Exception
    {
        try (ShmDirectory run = new ShmDirectory())
        {
            final HypervisorConfig config = HypervisorConfig.defaults(run.path()).withConsole((domain, bytes, offset, length) ->
                consoles.computeIfAbsent(domain.domid(), d -> new StringBuffer()).append(bytes.getStringWithoutLengthUtf8(offset, length)));
            try (Hypervisor hypervisor = new Hypervisor(config);
                 BlockBackend backend = new BlockBackend(hypervisor, VbdListener.NONE);
                 XenstoredAccess dom0 = XenstoredAccess.dom0(hypervisor.xenstored(), () -> { }))
            {
                hypervisor.start();
                backend.start();
                final Domain reader = guest(hypervisor, dom0, run, "reader", Map.of("pattern", "randread", "seconds", "1"));
                final Domain writer = guest(hypervisor, dom0, run, "writer", Map.of("pattern", "write", "bs_kib", "64", "qd", "8",
                    "seconds", "1"));
                try (ChildJvm readerGuest = start(run, reader);
                     ChildJvm writerGuest = start(run, writer))
                {
                    assertThat(readerGuest.awaitExit(Duration.ofSeconds(90))).as(consoleOf(reader) + readerGuest.output()).isZero();
                    assertThat(writerGuest.awaitExit(Duration.ofSeconds(90))).as(consoleOf(writer) + writerGuest.output()).isZero();
                }
                assertThat(consoleOf(reader)).contains("disk-bench: done, randread 4 KiB qd 32 on xvda: ").contains(", 0 errors");
                assertThat(consoleOf(writer)).contains("disk-bench: done, write 64 KiB qd 8 on xvda: ").contains(", 0 errors");
                assertThat(reader.shutdownCode()).isEqualTo(SchedOpDescriptor.SHUTDOWN_POWEROFF);
                assertThat(writer.shutdownCode()).isEqualTo(SchedOpDescriptor.SHUTDOWN_POWEROFF);
                for (final Domain domain : new Domain[] {reader, writer})
                {
                    assertThat(dom0.read("/local/domain/" + domain.domid() + "/data/disk-bench/total-ops")).isPresent()
                        .hasValueSatisfying(ops -> assertThat(Long.parseLong(ops)).isPositive());
                }
            }
        }
    }

    private static Domain guest(final Hypervisor hypervisor, final XenstoredAccess dom0, final ShmDirectory run, final String name,
        final Map<String, String> args) throws Exception
    {
        final Path image = run.path().resolve(name + ".img");
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw"))
        {
            file.setLength(32L << 20);
        }
        final Domain domain = hypervisor.createDomain(new DomainSpec(name, 1, 32 * 1024, 32 * 1024, 0, false, "disk-bench", args, 4,
            DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES, DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES));
        BlkifDevice.create(dom0, domain.domid(), VirtualDevice.parse("xvda").orElseThrow(), image.toString(), false);
        return domain;
    }

    private static ChildJvm start(final ShmDirectory run, final Domain domain)
    {
        return ChildJvm.start(GuestMain.class, "--run-dir", run.path().toString(), "--domid", String.valueOf(domain.domid()));
    }

    private String consoleOf(final Domain domain)
    {
        return String.valueOf(consoles.get(domain.domid()));
    }
}
