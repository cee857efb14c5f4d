package org.coopvm.guest.grant;

import org.coopvm.rings.domain.DomainFiles;
import org.coopvm.rings.grant.GrantEntryDescriptor;
import org.coopvm.rings.grant.GrantTableFrontend;
import org.coopvm.rings.hypercall.Errno;
import org.coopvm.rings.mem.Pages;
import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;
import org.coopvm.rings.testing.ShmDirectory;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GrantTableTest
{
    private static final int ENTRIES = 8;

    @Test
    void refsStartAtTwoAreRecycledAndRunOutWithEnospc()
    {
        try (SharedRegion region = SharedRegion.createAnonymous(RegionType.GRANT_TABLE, 1, ENTRIES * GrantEntryDescriptor.ENTRY_LENGTH))
        {
            final GrantTable table = new GrantTable(new GrantTableFrontend().wrap(region.payload(), ENTRIES), ENTRIES);

            assertThat(table.grantAccess(2, 10, false)).isEqualTo(2);
            assertThat(table.grantAccess(2, 11, true)).isEqualTo(3);
            assertThat(region.payloadBuffer().getInt(3 * GrantEntryDescriptor.ENTRY_LENGTH + GrantEntryDescriptor.FRAME_OFFSET)).isEqualTo(11);
            assertThat(table.endAccess(2)).isTrue();
            assertThat(table.grantAccess(5, 12, false)).as("a freed ref is handed out again").isEqualTo(2);
            for (int ref = 4; ref < ENTRIES; ref++)
            {
                assertThat(table.grantAccess(2, ref, false)).isEqualTo(ref);
            }
            assertThat(table.grantAccess(2, 99, false)).isEqualTo(-Errno.ENOSPC);
            assertThat(table.refsInUse()).isEqualTo(ENTRIES - 2);
        }
    }

    @Test
    void theReservedConsoleRefIsGrantedOnlyOnRequestAndNeverHandedOut()
    {
        try (SharedRegion region = SharedRegion.createAnonymous(RegionType.GRANT_TABLE, 1, ENTRIES * GrantEntryDescriptor.ENTRY_LENGTH))
        {
            final GrantTable table = new GrantTable(new GrantTableFrontend().wrap(region.payload(), ENTRIES), ENTRIES);

            assertThat(table.grantReserved(0, 0, 7, false)).isZero();
            assertThat(region.payloadBuffer().getInt(GrantEntryDescriptor.FRAME_OFFSET)).isEqualTo(7);
            assertThat(table.grantReserved(2, 0, 7, false)).as("not a reserved ref").isEqualTo(-Errno.EINVAL);
            assertThat(table.grantAccess(0, 8, false)).as("the free list starts after the reserved refs").isEqualTo(2);
            assertThat(table.refsInUse()).isOne();
            assertThat(table.endReserved(0)).isTrue();
        }
    }

    @Test
    void endAccessFailsWhileThePeerHasThePageMapped()
    {
        try (SharedRegion region = SharedRegion.createAnonymous(RegionType.GRANT_TABLE, 1, ENTRIES * GrantEntryDescriptor.ENTRY_LENGTH))
        {
            final GrantTable table = new GrantTable(new GrantTableFrontend().wrap(region.payload(), ENTRIES), ENTRIES);
            final int ref = table.grantAccess(2, 10, false);
            final int flagsOffset = ref * GrantEntryDescriptor.ENTRY_LENGTH + GrantEntryDescriptor.FLAGS_OFFSET;
            final short flags = region.payloadBuffer().getShort(flagsOffset);
            region.payloadBuffer().putShortVolatile(flagsOffset, (short)(flags | GrantEntryDescriptor.GTF_WRITING));

            assertThat(table.isMapped(ref)).isTrue();
            assertThat(table.endAccess(ref)).isFalse();

            region.payloadBuffer().putShortVolatile(flagsOffset, flags);
            assertThat(table.endAccess(ref)).isTrue();
            assertThatThrownBy(() -> table.endAccess(ref)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void severalPagesAreGrantedAllOrNoneAndEndedAsTheirMappingsGo()
    {
        try (SharedRegion region = SharedRegion.createAnonymous(RegionType.GRANT_TABLE, 1, ENTRIES * GrantEntryDescriptor.ENTRY_LENGTH))
        {
            final GrantTable table = new GrantTable(new GrantTableFrontend().wrap(region.payload(), ENTRIES), ENTRIES);
            final int[] refs = table.grantPages(3, 4, page -> 100 + page, false);
            assertThat(refs).containsExactly(2, 3, 4, 5);
            assertThat(region.payloadBuffer().getInt(5 * GrantEntryDescriptor.ENTRY_LENGTH + GrantEntryDescriptor.FRAME_OFFSET)).isEqualTo(103);
            assertThat(table.grantPages(3, 3, page -> 200 + page, false)).as("two entries left: none granted").isNull();
            assertThat(table.refsInUse()).isEqualTo(4);

            final int flagsOffset = 3 * GrantEntryDescriptor.ENTRY_LENGTH + GrantEntryDescriptor.FLAGS_OFFSET;
            final short flags = region.payloadBuffer().getShort(flagsOffset);
            region.payloadBuffer().putShortVolatile(flagsOffset, (short)(flags | GrantEntryDescriptor.GTF_READING));
            assertThat(table.endAccessAll(refs)).as("ref 3 is still mapped").isFalse();
            assertThat(refs).containsExactly(-1, 3, -1, -1);
            region.payloadBuffer().putShortVolatile(flagsOffset, flags);
            assertThat(table.endAccessAll(refs)).isTrue();
            assertThat(refs).containsOnly(-1);
            assertThat(table.refsInUse()).isZero();
        }
    }

    @Test
    void aFileMappingShowsExactlyTheGrantedPageOfTheGranterMemory() throws Exception
    {
        try (ShmDirectory run = new ShmDirectory())
        {
            final DomainFiles files = new DomainFiles(run.path());
            Files.createDirectories(files.domainDir(4));
            try (SharedRegion memory = SharedRegion.createFile(files.memory(4), RegionType.GUEST_MEMORY, 4, 4 * Pages.PAGE_SIZE))
            {
                memory.payloadBuffer().putLong(2 * Pages.PAGE_SIZE + 8, 0xCAFEL);
                final FileForeignMemory foreign = new FileForeignMemory(files);

                try (ForeignMapping page = foreign.map(4, 2, false))
                {
                    assertThat(page.readBuffer().getLong(8)).isEqualTo(0xCAFEL);
                    page.buffer().putLong(16, 0xBEEFL);
                    assertThat(memory.payloadBuffer().getLong(2 * Pages.PAGE_SIZE + 16)).isEqualTo(0xBEEFL);
                    assertThat(page.readBuffer().capacity()).isEqualTo(Pages.PAGE_SIZE);
                    assertThatThrownBy(() -> page.buffer().getLong(Pages.PAGE_SIZE)).isInstanceOf(IndexOutOfBoundsException.class);
                }
                try (ForeignMapping readonly = foreign.map(4, 2, true))
                {
                    assertThat(readonly.readBuffer().getLong(16)).isEqualTo(0xBEEFL);
                    assertThatThrownBy(readonly::buffer).isInstanceOf(IllegalStateException.class);
                }
                assertThatThrownBy(() -> foreign.map(4, 4, false)).isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(() -> foreign.map(5, 0, false)).isInstanceOf(IllegalStateException.class);
            }
        }
    }
}
