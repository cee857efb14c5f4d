package org.coopvm.drivers.block;

import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.rings.blkif.BlkifDevice;
import org.coopvm.rings.blkif.VirtualDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.coopvm.drivers.block.BlockTestBed.DEADLINE_S;

/**
 * dom0's block backend following the toolstack's device directories, before any guest runs: a disk
 * whose image does not open, a disk added next to it, and disks the toolstack removes.
 */
class BlockDeviceDirectoryTest
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
    void aMissingImageIsCountedOnceClosesItsDeviceAndIsTriedAgainOnlyWhenTheToolstackMakesTheDeviceAnew() throws Exception
    {
        bed.backend.start();
        final Domain domain = bed.createDomain("disks");
        final Path missing = dir.resolve("missing.img");
        final VirtualDevice xvda = bed.addDisk(domain, "xvda", missing, false);
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> "6".equals(bed.backendState(domain, xvda)));
        assertThat(bed.backend.imageErrors()).isEqualTo(1);
        assertThat(bed.backend.attached()).isZero();

        final VirtualDevice xvdb = bed.addDisk(domain, "xvdb", BlockTestBed.image(dir, "present.img", 2), false);
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> bed.backend.attached() == 1);
        assertThat(bed.backend.imageErrors()).as("the rescan for xvdb did not open xvda's image again").isEqualTo(1);

        BlkifDevice.remove(bed.toolstack, domain.domid(), xvda);
        BlkifDevice.remove(bed.toolstack, domain.domid(), xvdb);
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> bed.backend.attached() == 0);

        bed.addDisk(domain, "xvda", missing, false);
        await().atMost(DEADLINE_S, TimeUnit.SECONDS).until(() -> bed.backend.imageErrors() == 2);
        assertThat(bed.backend.agentErrors()).isZero();
    }
}
