package org.coopvm.rings.mem;

import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;
import org.coopvm.rings.testing.ShmDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.coopvm.rings.mem.Pages.PAGE_SIZE;

class NativeMemoryTest
{
    private static final int EBADF = 9;
    private static final int ENOENT = 2;

    private final ShmDirectory shm = new ShmDirectory();

    @AfterEach
    void close()
    {
        shm.close();
    }

    @Test
    void punchingAPageOfATmpfsFileGivesItBackAndItReadsZero() throws IOException
    {
        assumeThat(shm.path().startsWith("/dev/shm")).as("needs tmpfs at /dev/shm").isTrue();
        final Path file = fileOfPages(16, (byte)7);
        final int fd = NativeMemory.open(file);
        assertThat(fd).isNotNegative();
        try
        {
            assertThat(NativeMemory.allocatedBytes(fd)).isEqualTo(16L * PAGE_SIZE);

            assertThat(NativeMemory.punchHole(fd, 3L * PAGE_SIZE, 2L * PAGE_SIZE)).isZero();

            assertThat(NativeMemory.allocatedBytes(fd)).as("two pages fewer").isEqualTo(14L * PAGE_SIZE);
            assertThat(Files.size(file)).as("size kept").isEqualTo(16L * PAGE_SIZE);
            final byte[] content = Files.readAllBytes(file);
            assertThat(content[3 * PAGE_SIZE]).isZero();
            assertThat(content[5 * PAGE_SIZE - 1]).isZero();
            assertThat(content[5 * PAGE_SIZE]).isEqualTo((byte)7);
        }
        finally
        {
            assertThat(NativeMemory.close(fd)).isZero();
        }
    }

    @Test
    void aPunchedPageDisappearsFromAMappingOfTheFile()
    {
        assumeThat(shm.path().startsWith("/dev/shm")).as("needs tmpfs at /dev/shm").isTrue();
        final Path path = shm.resolve("memory");
        try (SharedRegion region = SharedRegion.createFile(path, RegionType.GUEST_MEMORY, 1, 8L * PAGE_SIZE))
        {
            region.payloadBuffer().setMemory(0, 8 * PAGE_SIZE, (byte)1);
            final int fd = NativeMemory.open(path);
            final long before = NativeMemory.allocatedBytes(fd);
            assertThat(NativeMemory.punchHole(fd, region.length() - PAGE_SIZE, PAGE_SIZE)).isZero();
            assertThat(NativeMemory.allocatedBytes(fd)).isEqualTo(before - PAGE_SIZE);
            assertThat(region.payloadBuffer().getByte(7 * PAGE_SIZE)).as("the mapping sees the hole").isZero();
            assertThat(region.payloadBuffer().getByte(6 * PAGE_SIZE)).isEqualTo((byte)1);
            NativeMemory.close(fd);
        }
    }

    @Test
    void lazyAnonymousMemoryIsResidentOnlyWhereTouchedAndDiscardDropsIt()
    {
        final int pages = 256; // 1 MiB: too small to hold a transparent huge page, so counts are exact
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment memory = NativeMemory.mapAnonymous((long)pages * PAGE_SIZE, arena);
            assertThat(NativeMemory.residentBytes(memory)).isZero();
            for (int page = 0; page < 10; page++)
            {
                memory.set(ValueLayout.JAVA_BYTE, (long)page * PAGE_SIZE, (byte)9);
            }
            assertThat(NativeMemory.residentBytes(memory)).isEqualTo(10L * PAGE_SIZE);

            assertThat(NativeMemory.discard(memory.asSlice(2L * PAGE_SIZE, 4L * PAGE_SIZE))).isZero();

            assertThat(NativeMemory.residentBytes(memory)).isEqualTo(6L * PAGE_SIZE);
            assertThat(memory.get(ValueLayout.JAVA_BYTE, 2L * PAGE_SIZE)).as("reads zero again").isZero();
            assertThat(memory.get(ValueLayout.JAVA_BYTE, 6L * PAGE_SIZE)).isEqualTo((byte)9);
        }
    }

    @Test
    void largeAnonymousRegionsStartWithNothingResident()
    {
        try (SharedRegion region = SharedRegion.createAnonymous(RegionType.GUEST_MEMORY, 1, 64L * 1024 * 1024))
        {
            assertThat(NativeMemory.residentBytes(region.segment())).as("only the header page").isEqualTo(PAGE_SIZE);
        }
    }

    @Test
    void failuresAreErrnoValues()
    {
        assertThat(NativeMemory.open(shm.resolve("missing"))).isEqualTo(-ENOENT);
        assertThat(NativeMemory.punchHole(-1, 0, PAGE_SIZE)).isEqualTo(-EBADF);
        assertThat(NativeMemory.allocatedBytes(-1)).isEqualTo(-EBADF);
        assertThat(NativeMemory.close(-1)).isEqualTo(-EBADF);
    }

    private Path fileOfPages(final int pages, final byte fill) throws IOException
    {
        final Path file = shm.resolve("pages");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
        {
            final ByteBuffer page = ByteBuffer.allocate(PAGE_SIZE);
            for (int i = 0; i < pages; i++)
            {
                page.clear();
                while (page.hasRemaining())
                {
                    page.put(fill);
                }
                page.flip();
                channel.write(page);
            }
        }
        return file;
    }
}
