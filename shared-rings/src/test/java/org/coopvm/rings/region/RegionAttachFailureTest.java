package org.coopvm.rings.region;

import org.coopvm.rings.testing.RegionFiles;
import org.coopvm.rings.testing.ShmDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class RegionAttachFailureTest
{
    private final ShmDirectory dir = new ShmDirectory();
    private final Path file = dir.resolve("region");

    @AfterEach
    void tearDown()
    {
        dir.close();
    }

    @Test
    void missingFile()
    {
        assertAttachFails(RegionType.RAW, RegionException.Reason.MISSING);
    }

    @Test
    void fileShorterThanTheHeaderPage() throws IOException
    {
        Files.write(file, new byte[100]);
        assertAttachFails(RegionType.RAW, RegionException.Reason.TRUNCATED);
    }

    @Test
    void fileShorterThanItsHeaderClaims()
    {
        try (SharedRegion _ = SharedRegion.createFile(file, RegionType.RAW, 1, 3 * 4096))
        {
            RegionFiles.truncate(file, 2 * 4096);
            assertAttachFails(RegionType.RAW, RegionException.Reason.TRUNCATED);
        }
    }

    @Test
    void foreignMagic()
    {
        corruptAndAssertAttachFails(RegionHeaderDescriptor.MAGIC_OFFSET, 0x464C457F, RegionException.Reason.FOREIGN);
    }

    @Test
    void zeroFilledFileIsForeign() throws IOException
    {
        Files.write(file, new byte[2 * 4096]);
        assertAttachFails(RegionType.RAW, RegionException.Reason.FOREIGN);
    }

    @Test
    void wrongVersion()
    {
        corruptAndAssertAttachFails(RegionHeaderDescriptor.VERSION_OFFSET, 0, RegionException.Reason.WRONG_VERSION);
    }

    @Test
    void lengthFieldDisagreeingWithTheFile()
    {
        corruptAndAssertAttachFails(RegionHeaderDescriptor.REGION_LENGTH_OFFSET, 3 * 4096, RegionException.Reason.TRUNCATED);
    }

    @Test
    void wrongType()
    {
        try (SharedRegion _ = SharedRegion.createFile(file, RegionType.DOORBELL, 1, 4096))
        {
            assertAttachFails(RegionType.XEN_RING, RegionException.Reason.WRONG_TYPE);
        }
    }

    @Test
    void intactFileAttachesAndSharesItsBytes()
    {
        try (SharedRegion created = SharedRegion.createFile(file, RegionType.RAW, 5, 4096);
            SharedRegion attached = SharedRegion.attachFile(file, RegionType.RAW))
        {
            created.payloadBuffer().putLongVolatile(0, 0x1234_5678_9ABCL);
            assertThat(attached.payloadBuffer().getLongVolatile(0)).isEqualTo(0x1234_5678_9ABCL);
            assertThat(attached.ownerDomid()).isEqualTo(5);
        }
    }

    private void assertAttachFails(final RegionType type, final RegionException.Reason reason)
    {
        RegionFiles.assertAttachFails(() -> SharedRegion.attachFile(file, type), file, reason);
    }

    private void corruptAndAssertAttachFails(final int position, final int value, final RegionException.Reason reason)
    {
        try (SharedRegion _ = SharedRegion.createFile(file, RegionType.RAW, 1, 4096))
        {
            RegionFiles.putInt(file, position, value);
            assertAttachFails(RegionType.RAW, reason);
        }
    }
}
