package org.coopvm.rings.region;

import org.coopvm.rings.testing.ShmDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A read-only attach (the guest's view of the usage page) sees the owner's writes and cannot write. */
class ReadOnlyRegionTest
{
    private final ShmDirectory dir = new ShmDirectory();
    private final Path file = dir.resolve("usage");

    @AfterEach
    void tearDown()
    {
        dir.close();
    }

    @Test
    void aReadOnlyAttachSeesTheOwnersWritesAndEveryWriteThroughItFails() throws Exception
    {
        try (SharedRegion owner = SharedRegion.createFile(file, RegionType.USAGE, 0, 4096))
        {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
            try (SharedRegion reader = SharedRegion.attachFileReadOnly(file, RegionType.USAGE))
            {
                owner.payloadBuffer().putLongVolatile(8, 0x1234_5678_9ABCL);

                assertThat(reader.isReadOnly()).isTrue();
                assertThat(reader.payload().get(ValueLayout.JAVA_LONG, 8)).isEqualTo(0x1234_5678_9ABCL);
                assertThat(reader.ownerDomid()).isZero();
                assertThatThrownBy(() -> reader.payload().set(ValueLayout.JAVA_LONG, 8, 0L))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("read-only");
                assertThatThrownBy(() -> reader.segment().set(ValueLayout.JAVA_INT, 0, 0))
                    .isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(reader::payloadBuffer).isInstanceOf(IllegalStateException.class).hasMessageContaining("read-only");
                assertThatThrownBy(reader::buffer).isInstanceOf(IllegalStateException.class);
                assertThat(owner.payload().get(ValueLayout.JAVA_LONG, 8)).as("unchanged by the reader").isEqualTo(0x1234_5678_9ABCL);
            }
        }
    }

    @Test
    void aReadOnlyAttachChecksTheHeaderLikeAnyAttach()
    {
        try (SharedRegion _ = SharedRegion.createFile(file, RegionType.USAGE, 0, 4096))
        {
            assertThatThrownBy(() -> SharedRegion.attachFileReadOnly(file, RegionType.BALLOON_STATS))
                .isInstanceOfSatisfying(RegionException.class, ex -> assertThat(ex.reason()).isEqualTo(RegionException.Reason.WRONG_TYPE));
        }
        assertThatThrownBy(() -> SharedRegion.attachFileReadOnly(file, RegionType.USAGE))
            .isInstanceOfSatisfying(RegionException.class, ex -> assertThat(ex.reason()).isEqualTo(RegionException.Reason.MISSING));
    }

    @Test
    void aWritableAttachIsNotReadOnly()
    {
        try (SharedRegion owner = SharedRegion.createFile(file, RegionType.RAW, 0, 4096);
             SharedRegion peer = SharedRegion.attachFile(file, RegionType.RAW))
        {
            assertThat(owner.isReadOnly()).isFalse();
            assertThat(peer.isReadOnly()).isFalse();
            peer.payloadBuffer().putInt(0, 7);
            assertThat(owner.payloadBuffer().getInt(0)).isEqualTo(7);
        }
    }
}
