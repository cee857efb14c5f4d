package org.coopvm.drivers.block;

import org.coopvm.guest.GuestKernel;
import org.coopvm.guest.block.BlockBuffer;
import org.coopvm.guest.block.BlockFrontend;
import org.coopvm.guest.block.BlockDevice;
import org.coopvm.guest.hypercall.ShutdownReason;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainStatus;
import org.coopvm.rings.blkif.BlkifDevice;
import org.coopvm.rings.blkif.VirtualDevice;
import org.coopvm.rings.hypercall.Errno;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.coopvm.drivers.block.BlockTestBed.DEADLINE_S;

/**
 * The block split driver end to end in one JVM: in-process guest kernels whose {@code block}
 * driver finds the disks the test made as the toolstack does, goes through the xenbus handshake
 * with dom0's backend (whichever starts first), and moves data between guest pages and raw image
 * files.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BlockSplitDriverTest
{
    @TempDir
    Path dir;

    private final BlockTestBed bed = new BlockTestBed();

    @AfterEach
    void stop()
    {
        bed.close();
    }

    @Test
    void theHandshakePublishesXensKeysAndDataReachesTheImage() throws Exception
    {
        bed.backend.start();
        final Path image = BlockTestBed.image(dir, "a.img", 8);
        final Domain domain = bed.createDomain("a");
        final VirtualDevice xvda = bed.addDisk(domain, "xvda", image, false);
        final BlockDevice disk = bed.connectedDisk(bed.boot(domain), "xvda");

        assertThat(disk.sectors()).isEqualTo(8 * 2048);
        assertThat(disk.readOnly()).isFalse();
        assertThat(disk.flushSupported() && disk.barrierSupported() && disk.discardSupported()).isTrue();
        assertThat(disk.ringEntries()).as("4 pages").isEqualTo(128);
        assertThat(bed.backendState(domain, xvda)).isEqualTo("4");
        assertThat(bed.frontendState(domain, xvda)).isEqualTo("4");
        assertThat(bed.backendKey(domain, xvda, BlkifDevice.SECTORS)).isEqualTo("16384");
        assertThat(bed.backendKey(domain, xvda, BlkifDevice.SECTOR_SIZE)).isEqualTo("512");
        assertThat(bed.backendKey(domain, xvda, BlkifDevice.INFO)).isEqualTo("0");
        assertThat(bed.backendKey(domain, xvda, BlkifDevice.FEATURE_PERSISTENT)).isEqualTo("1");
        assertThat(bed.backendKey(domain, xvda, BlkifDevice.MAX_RING_PAGE_ORDER)).isEqualTo("4");
        assertThat(bed.frontendKey(domain, xvda, BlkifDevice.RING_PAGE_ORDER)).isEqualTo("2");
        assertThat(bed.frontendKey(domain, xvda, BlkifDevice.RING_REF + "3")).matches("[0-9]+");
        assertThat(bed.frontendKey(domain, xvda, BlkifDevice.PROTOCOL)).isEqualTo("x86_64-abi");
        assertThat(bed.frontendKey(domain, xvda, BlkifDevice.EVENT_CHANNEL)).matches("[0-9]+");
        assertThat(bed.backendKey(domain, xvda, BlkifDevice.FEATURE_MAX_INDIRECT_SEGMENTS)).isEqualTo("256");
        final BlockFrontend frontend = (BlockFrontend)disk;
        assertThat(frontend.maxSegmentsPerRequest()).as("Linux blkfront's default with indirect requests").isEqualTo(32);

        final BlockBuffer buffer = disk.allocateBuffer(16).orElseThrow();
        BlockTestBed.fill(buffer, 16 * 4096, i -> i * 7 + 3);
        final long before = frontend.ringRequests();
        assertThat(BlockTestBed.write(disk, 100, buffer, 128)).isZero();
        assertThat(frontend.ringRequests() - before).as("64 KiB: one indirect ring request").isEqualTo(1);
        assertThat(BlockTestBed.complete(disk::flush)).isZero();

        final ByteBuffer onDisk = ByteBuffer.allocate(16 * 4096);
        try (FileChannel file = FileChannel.open(image, StandardOpenOption.READ))
        {
            file.read(onDisk, 100 * 512L);
        }
        for (int i = 0; i < onDisk.capacity(); i++)
        {
            assertThat(onDisk.get(i)).as("image byte %d", i).isEqualTo((byte)(i * 7 + 3));
        }
        BlockTestBed.fill(buffer, 16 * 4096, i -> 0);
        assertThat(BlockTestBed.read(disk, 100, buffer, 128)).isZero();
        BlockTestBed.assertFilled(buffer, 16 * 4096, i -> i * 7 + 3);
        final VbdCounters counters = bed.backend.counters(domain.domid(), xvda.number()).orElseThrow();
        assertThat(counters.value(VbdCounters.Value.BYTES_WRITTEN)).isEqualTo(64 * 1024);
        assertThat(counters.value(VbdCounters.Value.FORCES)).isEqualTo(1);
        assertThat(counters.value(VbdCounters.Value.INDIRECT_REQUESTS)).isEqualTo(2);
        assertThat(counters.value(VbdCounters.Value.BATCHES)).as("one request at a time: a batch each").isEqualTo(counters.requests());
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> counters.value(VbdCounters.Value.AGENT_PARKS) >= 1);
        assertThat(counters.errors()).isZero();
        assertThat(bed.backend.persistentMappings(domain.domid(), xvda.number()))
            .as("the buffer's pages stay mapped, and the one indirect page both requests used").isEqualTo(17);

        final long beforeBarrier = frontend.ringRequests();
        assertThat(BlockTestBed.complete(done -> disk.writeBarrier(200, buffer, 0, 128, done))).isZero();
        assertThat(frontend.ringRequests() - beforeBarrier).as("a barrier is never indirect: 11 + 5 segments").isEqualTo(2);
        assertThat(counters.value(VbdCounters.Value.INDIRECT_REQUESTS)).isEqualTo(2);
        try (FileChannel file = FileChannel.open(image, StandardOpenOption.READ))
        {
            onDisk.clear();
            file.read(onDisk, 200 * 512L);
        }
        for (int i = 0; i < onDisk.capacity(); i++)
        {
            assertThat(onDisk.get(i)).as("image byte %d after the barrier", i).isEqualTo((byte)(i * 7 + 3));
        }
    }

    @Test
    void twoGuestsKeepingManyRandomRequestsInFlightReadBackExactlyWhatTheyWrote() throws Exception
    {
        bed.backend.start();
        final Path[] images = {BlockTestBed.image(dir, "r1.img", 8), BlockTestBed.image(dir, "r2.img", 8)};
        final RandomIoChecker[] checkers = new RandomIoChecker[2];
        final GuestKernel[] kernels = new GuestKernel[2];
        for (int g = 0; g < 2; g++)
        {
            final Domain domain = bed.createDomain("random" + g);
            bed.addDisk(domain, "xvda", images[g], false);
            kernels[g] = bed.boot(domain);
            checkers[g] = new RandomIoChecker(bed.connectedDisk(kernels[g], "xvda"), 24, 3_000, 42 + g);
        }
        for (int g = 0; g < 2; g++)
        {
            checkers[g].start(kernels[g].context());
        }
        for (int g = 0; g < 2; g++)
        {
            assertThat(checkers[g].finished().await(DEADLINE_S, TimeUnit.SECONDS)).as("guest %d done", g).isTrue();
            final VbdCounters counters = bed.backend.counters(kernels[g].domid(), 51712).orElseThrow();
            assertThat(checkers[g].failure()).as("errors: %s", java.util.Arrays.stream(BlockError.values())
                .map(e -> e + "=" + counters.errors(e)).toList()).isNull();
            assertThat(checkers[g].reads()).isPositive();
            assertThat(checkers[g].writes()).isPositive();
            try (FileChannel file = FileChannel.open(images[g], StandardOpenOption.READ))
            {
                assertThat(checkers[g].checkImage(file.map(FileChannel.MapMode.READ_ONLY, 0, file.size()))).isNull();
            }
        }
    }

    @Test
    void aBackendStartedAfterTheGuestConnectsAOnePageRing() throws Exception
    {
        final Domain domain = bed.createDomain("late");
        final VirtualDevice xvdb = bed.addDisk(domain, "xvdb", BlockTestBed.image(dir, "b.img", 1), true);
        final GuestKernel kernel = bed.boot(domain);
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> kernel.context().blockDevices().byName("xvdb").isPresent());
        assertThat(bed.frontendState(domain, xvdb)).as("the frontend waits for the backend's InitWait").isEqualTo("1");
        bed.toolstack.write(BlkifDevice.of(domain.domid(), xvdb).backendPath() + "/" + BlkifDevice.MAX_RING_PAGE_ORDER, "0");

        bed.backend.start();

        final BlockDevice disk = bed.connectedDisk(kernel, "xvdb");
        assertThat(disk.readOnly()).isTrue();
        assertThat(bed.backendKey(domain, xvdb, BlkifDevice.INFO)).isEqualTo(Integer.toString(BlkifDevice.VDISK_READONLY));
        assertThat(bed.backendKey(domain, xvdb, BlkifDevice.FEATURE_DISCARD)).isEqualTo("0");
        final BlockBuffer buffer = disk.allocateBuffer(1).orElseThrow();
        assertThat(BlockTestBed.read(disk, 2047, buffer, 1)).isZero();
        assertThat(BlockTestBed.write(disk, 0, buffer, 1)).isEqualTo(-Errno.EROFS);
        assertThat(BlockTestBed.read(disk, 2047, buffer, 2)).as("past the end").isEqualTo(-Errno.EINVAL);
    }

    @Test
    void aGuestThatShutsDownDetachesCleanlyAndANewGuestAttachesTheSameImage() throws Exception
    {
        bed.backend.start();
        final Path image = BlockTestBed.image(dir, "shared.img", 2);
        final Domain first = bed.createDomain("first");
        final VirtualDevice xvda = bed.addDisk(first, "xvda", image, false);
        final GuestKernel kernel = bed.boot(first);
        final BlockDevice disk = bed.connectedDisk(kernel, "xvda");
        final BlockBuffer buffer = disk.allocateBuffer(2).orElseThrow();
        BlockTestBed.fill(buffer, 8192, i -> i ^ 0x5A);
        assertThat(BlockTestBed.write(disk, 8, buffer, 16)).isZero();
        assertThat(bed.dom0Mappings()).as("ring pages and persistent grants").isGreaterThanOrEqualTo(4 + 2);

        kernel.context().shutdown(ShutdownReason.POWEROFF);

        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> "6".equals(bed.frontendState(first, xvda)) &&
            "6".equals(bed.backendState(first, xvda)));
        assertThat(bed.dom0Mappings()).as("the backend unmapped ring and persistent grants").isZero();
        assertThat(bed.backend.isConnected(first.domid(), xvda.number())).isFalse();
        assertThat(disk.isConnected()).isFalse();
        assertThat(BlockTestBed.read(disk, 8, buffer, 16)).isEqualTo(-Errno.ENOTCONN);
        assertThat(kernel.awaitTermination(Duration.ofSeconds(DEADLINE_S))).as("the guest finished shutting down").isTrue();
        assertThat(first.status()).isEqualTo(DomainStatus.SHUTDOWN);
        bed.hypervisor.destroyDomain(first.domid());
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> bed.backend.attached() == 0);
        BlkifDevice.remove(bed.toolstack, first.domid(), xvda);
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> bed.hypervisor.domain(first.domid()).isEmpty());

        final Domain second = bed.createDomain("second");
        bed.addDisk(second, "xvda", image, false);
        final BlockDevice again = bed.connectedDisk(bed.boot(second), "xvda");
        final BlockBuffer readBack = again.allocateBuffer(2).orElseThrow();
        assertThat(BlockTestBed.read(again, 8, readBack, 16)).isZero();
        BlockTestBed.assertFilled(readBack, 8192, i -> i ^ 0x5A);
    }

    @Test
    void aGuestThatDiesWithRequestsAroundLeavesNoMappingPortOrImageBehind() throws Exception
    {
        bed.backend.start();
        final int portsBefore = bed.dom0Ports();
        final Domain domain = bed.createDomain("doomed");
        final VirtualDevice xvda = bed.addDisk(domain, "xvda", BlockTestBed.image(dir, "doomed.img", 4), false);
        final GuestKernel kernel = bed.boot(domain);
        final RandomIoChecker checker = new RandomIoChecker(bed.connectedDisk(kernel, "xvda"), 16, 1_000_000, 7);
        checker.start(kernel.context());
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> checker.writes() > 200);

        bed.kill(kernel);
        bed.hypervisor.destroyDomain(domain.domid());

        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> bed.hypervisor.domain(domain.domid()).isEmpty());
        assertThat(bed.backend.attached()).isZero();
        assertThat(bed.backend.isConnected(domain.domid(), xvda.number())).isFalse();
        assertThat(bed.dom0Mappings()).isZero();
        assertThat(bed.dom0Ports()).isEqualTo(portsBefore);
        assertThat(bed.backend.agentErrors()).isZero();
        assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName)).as("ring agent stopped")
            .doesNotContain("blkback-" + domain.domid() + "-xvda");
    }

    @Test
    void aClosedDiskRefusesRequestsAndTheBackendWaitsForTheFrontendToComeBack() throws Exception
    {
        bed.backend.start();
        final Domain domain = bed.createDomain("closer");
        final VirtualDevice xvda = bed.addDisk(domain, "xvda", BlockTestBed.image(dir, "c.img", 1), false);
        final BlockDevice disk = bed.connectedDisk(bed.boot(domain), "xvda");

        disk.close();

        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> "6".equals(bed.frontendState(domain, xvda)));
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> "6".equals(bed.backendState(domain, xvda)));
        assertThat(BlockTestBed.complete(disk::flush)).isEqualTo(-Errno.ENOTCONN);
        assertThat(bed.dom0Mappings()).isZero();
        assertThat(bed.backend.attached()).as("the device stays, for a frontend that starts over").isEqualTo(1);
    }
}
