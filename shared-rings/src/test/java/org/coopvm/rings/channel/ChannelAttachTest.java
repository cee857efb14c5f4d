package org.coopvm.rings.channel;

import org.coopvm.rings.region.RegionException;
import org.coopvm.rings.region.RegionHeaderDescriptor;
import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;
import org.coopvm.rings.testing.RegionFiles;
import org.coopvm.rings.testing.ShmDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ChannelAttachTest
{
    private final ShmDirectory dir = new ShmDirectory();
    private final Path file = dir.resolve("channel");

    @AfterEach
    void tearDown()
    {
        dir.close();
    }

    @Test
    void attachSeesTheCreatorsKindAndCapacity()
    {
        try (MessageChannel created = MessageChannel.createFile(file, ChannelKind.MANY_TO_ONE, 1 << 12, 3);
            MessageChannel attached = MessageChannel.attachFile(file))
        {
            assertThat(attached.kind()).isEqualTo(ChannelKind.MANY_TO_ONE);
            assertThat(attached.capacity()).isEqualTo(created.capacity()).isEqualTo(1 << 12);
            assertThat(attached.region().ownerDomid()).isEqualTo(3);
        }
    }

    @Test
    void missingFile()
    {
        assertAttachFails(RegionException.Reason.MISSING);
    }

    @Test
    void truncatedFile()
    {
        try (MessageChannel _ = MessageChannel.createFile(file, ChannelKind.ONE_TO_ONE, 1024, 1))
        {
            RegionFiles.truncate(file, RegionHeaderDescriptor.PAYLOAD_OFFSET + 512);
            assertAttachFails(RegionException.Reason.TRUNCATED);
        }
    }

    @Test
    void foreignFile()
    {
        corruptAndAssertAttachFails(RegionHeaderDescriptor.MAGIC_OFFSET, 0x7F454C46, RegionException.Reason.FOREIGN);
    }

    @Test
    void wrongVersion()
    {
        corruptAndAssertAttachFails(
            RegionHeaderDescriptor.VERSION_OFFSET, RegionHeaderDescriptor.ABI_VERSION + 1, RegionException.Reason.WRONG_VERSION);
    }

    @Test
    void notAChannel()
    {
        try (SharedRegion _ = SharedRegion.createFile(file, RegionType.RAW, 1, 8192))
        {
            assertAttachFails(RegionException.Reason.WRONG_TYPE);
        }
    }

    @Test
    void unknownChannelKind()
    {
        corruptAndAssertAttachFails(
            RegionHeaderDescriptor.PAYLOAD_OFFSET + ChannelDescriptor.KIND_OFFSET, 99, RegionException.Reason.WRONG_TYPE);
    }

    @Test
    void capacityNotAPowerOfTwoOrLargerThanTheFile()
    {
        try (MessageChannel _ = MessageChannel.createFile(file, ChannelKind.ONE_TO_ONE, 1024, 1))
        {
            RegionFiles.putInt(file, RegionHeaderDescriptor.PAYLOAD_OFFSET + ChannelDescriptor.CAPACITY_OFFSET, 1000);
            assertAttachFails(RegionException.Reason.INVALID_SIZE);
            RegionFiles.putInt(file, RegionHeaderDescriptor.PAYLOAD_OFFSET + ChannelDescriptor.CAPACITY_OFFSET, 1 << 20);
            assertAttachFails(RegionException.Reason.INVALID_SIZE);
        }
    }

    @Test
    void createRejectsACapacityThatIsNotAPowerOfTwo()
    {
        RegionFiles.assertAttachFails(
            () -> MessageChannel.createFile(file, ChannelKind.ONE_TO_ONE, 3000, 1), file, RegionException.Reason.INVALID_SIZE);
        assertThat(file).doesNotExist();
    }

    private void assertAttachFails(final RegionException.Reason reason)
    {
        RegionFiles.assertAttachFails(() -> MessageChannel.attachFile(file), file, reason);
    }

    private void corruptAndAssertAttachFails(final int position, final int value, final RegionException.Reason reason)
    {
        try (MessageChannel _ = MessageChannel.createFile(file, ChannelKind.ONE_TO_ONE, 1024, 1))
        {
            RegionFiles.putInt(file, position, value);
            assertAttachFails(reason);
        }
    }
}
