package org.coopvm.drivers.block;

import org.coopvm.guest.GuestMain;
import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.hypervisor.xenstore.XenstoredAccess;
import org.coopvm.rings.blkif.BlkifDevice;
import org.coopvm.rings.blkif.VirtualDevice;
import org.coopvm.rings.testing.ChildJvm;
import org.coopvm.rings.testing.ShmDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A write the guest saw acknowledged, followed by a completed flush, is in the image after a
 * {@code kill -9}: of the guest (a process guest, the host stays), and of the host (a child JVM
 * holding the hypervisor, the backend and the guest). The image is then read by this JVM, with
 * no CoopVM in between. (A power cut is beyond a test: the flush is {@code FileChannel.force},
 * which is what makes it survive one.)
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BlockDurabilityTest
{
    private static final long DEADLINE_S = 60;

    @TempDir
    Path dir;

    @Test
    void flushedWritesSurviveAKill9OfTheProcessGuest() throws Exception
    {
        final Path image = BlockTestBed.image(dir, "guest-kill.img", 4);
        try (ShmDirectory run = new ShmDirectory();
             Hypervisor hypervisor = new Hypervisor(HypervisorConfig.defaults(run.path())))
        {
            final BlockBackend backend = new BlockBackend(hypervisor, VbdListener.NONE);
            hypervisor.start();
            backend.start();
            try (XenstoredAccess dom0 = XenstoredAccess.dom0(hypervisor.xenstored(), () -> { }))
            {
                final Domain domain = hypervisor.createDomain(new DomainSpec("victim", 1, 16 * 1024, 16 * 1024, 0, false,
                    "block-durability", Map.of(), 4, DomainSpec.DEFAULT_HYPERCALL_CAPACITY_BYTES,
                    DomainSpec.DEFAULT_RESPONSE_CAPACITY_BYTES));
                final VirtualDevice xvda = VirtualDevice.parse("xvda").orElseThrow();
                BlkifDevice.create(dom0, domain.domid(), xvda, image.toString(), false);
                try (ChildJvm guest = ChildJvm.start(GuestMain.class, "--run-dir", run.path().toString(), "--domid",
                    String.valueOf(domain.domid())))
                {
                    final String node = "/local/domain/" + domain.domid() + "/" + BlockDurabilityWorkload.FLUSHED_NODE;
                    await().atMost(DEADLINE_S, TimeUnit.SECONDS).failFast(() -> !guest.isAlive())
                        .until(() -> dom0.read(node).isPresent());
                    guest.kill();
                }
                hypervisor.destroyDomain(domain.domid());
                await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> backend.attached() == 0);
                assertThat(hypervisor.domain(domain.domid())).as("reclaimed once the backend let go").isEmpty();
            }
            finally
            {
                backend.close();
            }
        }
        assertFlushedBlocks(image);
    }

    @Test
    void flushedWritesSurviveAKill9OfTheHost() throws Exception
    {
        final Path image = BlockTestBed.image(dir, "host-kill.img", 4);
        try (ChildJvm host = ChildJvm.start(BlockHostChild.class, image.toString()))
        {
            await().atMost(DEADLINE_S, TimeUnit.SECONDS).failFast(() -> !host.isAlive()).until(() -> host.output().contains("host: "));
            assertThat(host.output()).contains("host: flushed");
            host.kill();
        }
        assertFlushedBlocks(image);
    }

    private static void assertFlushedBlocks(final Path image) throws Exception
    {
        final byte[] expected = new byte[4096];
        try (FileChannel file = FileChannel.open(image, StandardOpenOption.READ))
        {
            for (int b = 0; b < BlockDurabilityWorkload.BLOCKS; b++)
            {
                final ByteBuffer block = ByteBuffer.allocate(4096);
                file.read(block, b * 4096L);
                RandomIoChecker.content(b, 1, expected);
                assertThat(block.array()).as("block %d", b).isEqualTo(expected);
            }
        }
    }
}
