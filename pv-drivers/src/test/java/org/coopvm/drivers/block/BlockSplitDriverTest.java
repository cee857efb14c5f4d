package org.coopvm.drivers.block;

import org.coopvm.guest.GuestKernel;
import org.coopvm.guest.block.BlockBuffer;
import org.coopvm.guest.block.BlockDevice;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.rings.blkif.BlkifDevice;
import org.coopvm.rings.blkif.VirtualDevice;
import org.coopvm.rings.hypercall.Errno;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
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

        final BlockBuffer buffer = disk.allocateBuffer(16).orElseThrow();
        BlockTestBed.fill(buffer, 16 * 4096, i -> i * 7 + 3);
        assertThat(BlockTestBed.write(disk, 100, buffer, 128)).as("64 KiB: two ring requests").isZero();
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
        assertThat(counters.errors()).isZero();
        assertThat(bed.backend.persistentMappings(domain.domid(), xvda.number())).as("the buffer's pages stay mapped").isEqualTo(16);
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
}
