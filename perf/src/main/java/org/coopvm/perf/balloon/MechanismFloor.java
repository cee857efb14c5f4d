package org.coopvm.perf.balloon;

import org.coopvm.rings.mem.NativeMemory;
import org.coopvm.rings.mem.Pages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The raw mechanisms a balloon ends in, each timed as one system call on this machine: a hole
 * punched in a tmpfs file that is mapped shared and touched (what CoopVM's hypervisor does with a
 * process guest's memory file: the pages leave the page cache and every mapping), and
 * {@code madvise(MADV_DONTNEED)} of touched private anonymous memory (what Firecracker does with
 * the pages a virtio-balloon hands back). Resident memory is measured before and after the call
 * ({@code fstat} blocks of the file, {@code mincore} of the mapping). Stateless; blocks the
 * calling thread; what it maps and creates is gone when a call returns.
 */
final class MechanismFloor
{
    /**
     * One timed call.
     *
     * @param seconds  the system call's wall time.
     * @param returned resident bytes dropped, as a fraction of the bytes given up.
     */
    record Call(double seconds, double returned)
    {
    }

    private MechanismFloor()
    {
    }

    /**
     * @param dir   a tmpfs directory for the file.
     * @param bytes how much to punch, a multiple of the page size.
     * @return the timed punch.
     */
    static Call punchHole(final Path dir, final long bytes)
    {
        final Path file = dir.resolve("floor-punch-hole");
        try (Arena arena = Arena.ofConfined();
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final MemorySegment mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes, arena);
            touch(mapping);
            final int fd = NativeMemory.open(file);
            if (fd < 0)
            {
                throw new IllegalStateException("cannot open " + file + ": errno " + -fd);
            }
            try
            {
                final long before = NativeMemory.allocatedBytes(fd);
                final long startNs = System.nanoTime();
                final int rc = NativeMemory.punchHole(fd, 0, bytes);
                final long endNs = System.nanoTime();
                check(rc, "fallocate(PUNCH_HOLE)");
                return new Call((endNs - startNs) / 1e9, (double)(before - NativeMemory.allocatedBytes(fd)) / bytes);
            }
            finally
            {
                NativeMemory.close(fd);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot map " + file, ex);
        }
        finally
        {
            delete(file);
        }
    }

    /**
     * @param bytes how much to drop, a multiple of the page size.
     * @return the timed {@code madvise}.
     */
    static Call madviseDontNeed(final long bytes)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment memory = NativeMemory.mapAnonymous(bytes, arena);
            touch(memory);
            final long before = NativeMemory.residentBytes(memory);
            final long startNs = System.nanoTime();
            final int rc = NativeMemory.discard(memory);
            final long endNs = System.nanoTime();
            check(rc, "madvise(MADV_DONTNEED)");
            return new Call((endNs - startNs) / 1e9, (double)(before - NativeMemory.residentBytes(memory)) / bytes);
        }
    }

    private static void touch(final MemorySegment memory)
    {
        for (long offset = 0; offset < memory.byteSize(); offset += Pages.PAGE_SIZE)
        {
            memory.set(ValueLayout.JAVA_LONG_UNALIGNED, offset, offset + 1);
        }
    }

    private static void check(final int rc, final String call)
    {
        if (rc < 0)
        {
            throw new IllegalStateException(call + " failed: errno " + -rc);
        }
    }

    private static void delete(final Path file)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot delete " + file, ex);
        }
    }
}
