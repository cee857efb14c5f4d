package org.coopvm.rings.mem;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The Linux memory calls that give pages back to the machine and measure what is resident,
 * through the FFM API (glibc on x86-64): {@code open}/{@code close} of a memory file,
 * {@code fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE)} and {@code fstat} (allocated
 * blocks) on it, and {@code mmap}/{@code madvise(MADV_DONTNEED)}/{@code mincore} on anonymous
 * memory.
 *
 * <p>Failures are values: the calls return minus the C {@code errno} (Linux numbering), never
 * throw for a failed system call. Any thread may call them; each thread has its own small
 * scratch buffers (errno capture, {@code struct stat}, the {@code mincore} vector), so a call
 * allocates nothing after a thread's first.
 */
public final class NativeMemory
{
    /** {@code fallocate} mode bit: keep the file size. */
    static final int FALLOC_FL_KEEP_SIZE = 0x01;
    /** {@code fallocate} mode bit: deallocate the range (needs KEEP_SIZE). */
    static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    /** {@code madvise} advice: drop the pages; private anonymous memory reads zero afterwards. */
    static final int MADV_DONTNEED = 4;

    private static final int O_RDWR = 0x2;
    private static final int O_CLOEXEC = 0x80000;
    private static final int PROT_READ = 0x1;
    private static final int PROT_WRITE = 0x2;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final int MAP_NORESERVE = 0x4000;
    /** {@code sizeof(struct stat)} on x86-64. */
    private static final int STAT_SIZE = 144;
    /** {@code offsetof(struct stat, st_blocks)} on x86-64: 512-byte blocks allocated. */
    private static final int ST_BLOCKS_OFFSET = 64;
    /** Pages whose residency one {@code mincore} call reports (256 MiB). */
    private static final int MINCORE_CHUNK_PAGES = 64 * 1024;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle OPEN = handle("open",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle FALLOCATE = handle("fallocate", FunctionDescriptor.of(ValueLayout.JAVA_INT,
        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
    private static final MethodHandle FSTAT = handle("fstat",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MethodHandle MMAP = handle("mmap", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS,
        ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    private static final MethodHandle MUNMAP = handle("munmap",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle MADVISE = handle("madvise",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle MINCORE = handle("mincore",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private NativeMemory()
    {
    }

    /**
     * Open a file for reading and writing ({@code O_RDWR | O_CLOEXEC}).
     *
     * @param file an existing file.
     * @return the file descriptor (0 or more), or minus the errno.
     */
    public static int open(final Path file)
    {
        final Scratch scratch = SCRATCH.get();
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment path = arena.allocateFrom(file.toString(), StandardCharsets.UTF_8);
            final int fd = (int)OPEN.invokeExact(scratch.errno, path, O_RDWR | O_CLOEXEC);
            return fd < 0 ? -scratch.errno() : fd;
        }
        catch (final Throwable ex)
        {
            throw failed("open", ex);
        }
    }

    /**
     * @param fd a descriptor from {@link #open}.
     * @return 0, or minus the errno.
     */
    public static int close(final int fd)
    {
        final Scratch scratch = SCRATCH.get();
        try
        {
            return (int)CLOSE.invokeExact(scratch.errno, fd) < 0 ? -scratch.errno() : 0;
        }
        catch (final Throwable ex)
        {
            throw failed("close", ex);
        }
    }

    /**
     * Deallocate a byte range of a file, keeping its size: the range reads as zeros afterwards and
     * its pages go back to the machine (on tmpfs at once, also out of every process that maps
     * them).
     *
     * @param fd     an open file.
     * @param offset first byte, page aligned.
     * @param length bytes, a multiple of the page size.
     * @return 0, or minus the errno ({@code EOPNOTSUPP} on a file system without hole punching).
     */
    public static int punchHole(final int fd, final long offset, final long length)
    {
        final Scratch scratch = SCRATCH.get();
        try
        {
            final int rc = (int)FALLOCATE.invokeExact(scratch.errno, fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, length);
            return rc < 0 ? -scratch.errno() : 0;
        }
        catch (final Throwable ex)
        {
            throw failed("fallocate", ex);
        }
    }

    /**
     * Bytes of storage a file really holds: {@code st_blocks * 512} from {@code fstat} (on tmpfs,
     * the pages it has in memory; holes cost nothing).
     *
     * @param fd an open file.
     * @return the bytes, or minus the errno.
     */
    public static long allocatedBytes(final int fd)
    {
        final Scratch scratch = SCRATCH.get();
        try
        {
            if ((int)FSTAT.invokeExact(scratch.errno, fd, scratch.stat) < 0)
            {
                return -scratch.errno();
            }
            return scratch.stat.get(ValueLayout.JAVA_LONG, ST_BLOCKS_OFFSET) * 512;
        }
        catch (final Throwable ex)
        {
            throw failed("fstat", ex);
        }
    }

    /**
     * Map private anonymous memory that is not touched (not zero-filled by us): a page costs
     * nothing until first written, and reads zero. {@code MAP_NORESERVE}: no swap is reserved.
     * Closing {@code arena} unmaps it.
     *
     * @param length bytes, a multiple of the page size.
     * @param arena  the arena whose close unmaps the memory.
     * @return the mapping, page aligned.
     * @throws IllegalStateException when the kernel refuses the mapping.
     */
    public static MemorySegment mapAnonymous(final long length, final Arena arena)
    {
        final Scratch scratch = SCRATCH.get();
        final MemorySegment address;
        try
        {
            address = (MemorySegment)MMAP.invokeExact(scratch.errno, MemorySegment.NULL, length,
                PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0L);
        }
        catch (final Throwable ex)
        {
            throw failed("mmap", ex);
        }
        if (address.address() == -1L)
        {
            throw new IllegalStateException("mmap of " + length + " anonymous bytes failed: errno " + scratch.errno());
        }
        return reinterpret(address, length, arena);
    }

    /**
     * Drop pages of private anonymous memory ({@code madvise(MADV_DONTNEED)}): they leave the
     * process's resident set at once and read zero when touched again.
     *
     * @param memory the pages, page aligned, a multiple of the page size long.
     * @return 0, or minus the errno.
     */
    public static int discard(final MemorySegment memory)
    {
        final Scratch scratch = SCRATCH.get();
        try
        {
            return (int)MADVISE.invokeExact(scratch.errno, memory, memory.byteSize(), MADV_DONTNEED) < 0 ? -scratch.errno() : 0;
        }
        catch (final Throwable ex)
        {
            throw failed("madvise", ex);
        }
    }

    /**
     * Bytes of a mapping resident in memory now, from {@code mincore}.
     *
     * @param memory a mapping, page aligned, a multiple of the page size long.
     * @return the resident bytes, or minus the errno.
     */
    public static long residentBytes(final MemorySegment memory)
    {
        final Scratch scratch = SCRATCH.get();
        long resident = 0;
        for (long page = 0, pages = memory.byteSize() / Pages.PAGE_SIZE; page < pages; page += MINCORE_CHUNK_PAGES)
        {
            final int chunk = (int)Math.min(MINCORE_CHUNK_PAGES, pages - page);
            final int rc = mincore(scratch, memory.asSlice(page * Pages.PAGE_SIZE, (long)chunk * Pages.PAGE_SIZE));
            if (rc < 0)
            {
                return rc;
            }
            resident += (long)scratch.countResident(chunk) * Pages.PAGE_SIZE;
        }
        return resident;
    }

    private static int mincore(final Scratch scratch, final MemorySegment slice)
    {
        try
        {
            return (int)MINCORE.invokeExact(scratch.errno, slice, slice.byteSize(), scratch.vector) < 0 ? -scratch.errno() : 0;
        }
        catch (final Throwable ex)
        {
            throw failed("mincore", ex);
        }
    }

    /** Restricted FFM call: the JVM runs with {@code --enable-native-access=ALL-UNNAMED} (jvm.options). */
    @SuppressWarnings("restricted")
    private static MemorySegment reinterpret(final MemorySegment address, final long length, final Arena arena)
    {
        return address.reinterpret(length, arena, segment -> munmap(segment.address(), length));
    }

    private static void munmap(final long address, final long length)
    {
        try
        {
            // fails only for a range that is not a mapping; this one was ours, so there is nothing to do either way
            final int rc = (int)MUNMAP.invokeExact(SCRATCH.get().errno, MemorySegment.ofAddress(address), length);
            assert rc == 0 : "munmap failed";
        }
        catch (final Throwable ex)
        {
            throw failed("munmap", ex);
        }
    }

    /** Restricted FFM call: the JVM runs with {@code --enable-native-access=ALL-UNNAMED} (jvm.options). */
    @SuppressWarnings("restricted")
    private static MethodHandle handle(final String name, final FunctionDescriptor descriptor)
    {
        final MemorySegment symbol = LINKER.defaultLookup().find(name)
            .orElseThrow(() -> new IllegalStateException("the C library has no " + name + "()"));
        return LINKER.downcallHandle(symbol, descriptor, CAPTURE_ERRNO);
    }

    private static IllegalStateException failed(final String call, final Throwable cause)
    {
        return new IllegalStateException(call + "() could not be called", cause);
    }

    /** One thread's buffers: errno capture, a struct stat, a mincore vector. */
    private static final class Scratch
    {
        private final MemorySegment errno;
        private final MemorySegment stat;
        private final MemorySegment vector;

        Scratch()
        {
            final Arena arena = Arena.ofAuto();
            errno = arena.allocate(CAPTURE_LAYOUT);
            stat = arena.allocate(STAT_SIZE, 8);
            vector = arena.allocate(MINCORE_CHUNK_PAGES, 8);
        }

        int errno()
        {
            return (int)ERRNO.get(errno, 0L);
        }

        int countResident(final int pages)
        {
            int resident = 0;
            for (int i = 0; i < pages; i++)
            {
                resident += vector.get(ValueLayout.JAVA_BYTE, i) & 1;
            }
            return resident;
        }
    }
}
