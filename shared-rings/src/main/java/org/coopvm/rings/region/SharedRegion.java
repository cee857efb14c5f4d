package org.coopvm.rings.region;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.rings.mem.NativeMemory;
import org.coopvm.rings.mem.Pages;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import static org.coopvm.rings.region.RegionHeaderDescriptor.*;

/**
 * A page-aligned region of memory shared between domains: a {@code 0600} file mapped with
 * {@code MAP_SHARED} (for another process to attach), or anonymous memory (for in-process
 * peers). It starts with the header described by {@link RegionHeaderDescriptor}.
 *
 * <p>Thread safety: the accessors may be called from any thread. {@link #close()} unmaps the
 * memory; the caller must make sure no thread still uses {@link #buffer()} or
 * {@link #payloadBuffer()} by then, since those are raw views of the mapping.
 */
public final class SharedRegion implements AutoCloseable
{
    /** Anonymous regions this long or longer are mapped lazily ({@link NativeMemory#mapAnonymous}). */
    public static final long LAZY_ANONYMOUS_BYTES = 1024 * 1024;

    private final Arena arena;
    private final MemorySegment segment;
    private final UnsafeBuffer buffer;
    private final UnsafeBuffer payloadBuffer;
    private final Path path;
    private final boolean unlinkOnClose;
    private boolean closed;

    private SharedRegion(final Arena arena, final MemorySegment segment, final Path path, final boolean unlinkOnClose)
    {
        this.arena = arena;
        this.segment = segment;
        this.buffer = new UnsafeBuffer(segment.address(), checkedIntLength(segment.byteSize()));
        this.payloadBuffer = new UnsafeBuffer(
            segment.address() + PAYLOAD_OFFSET, (int)(segment.byteSize() - PAYLOAD_OFFSET));
        this.path = path;
        this.unlinkOnClose = unlinkOnClose;
    }

    /**
     * Create a new region file, readable and writable by its owner only, and map it.
     *
     * @param file          where to create it; it must not exist.
     * @param type          what the region will hold.
     * @param ownerDomid    the domain that owns the region.
     * @param payloadLength bytes of payload, rounded up to whole pages.
     * @return the mapped region; closing it unmaps and deletes the file.
     * @throws RegionException {@code ALREADY_EXISTS}, {@code INVALID_SIZE} or {@code IO}.
     */
    public static SharedRegion createFile(final Path file, final RegionType type, final int ownerDomid, final long payloadLength)
    {
        final long length = checkedRegionLength(payloadLength);
        createOwnerOnlyFile(file);
        final Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final SharedRegion region = new SharedRegion(
                arena, channel.map(FileChannel.MapMode.READ_WRITE, 0, length, arena), file, true);
            region.writeHeader(type, ownerDomid);
            return region;
        }
        catch (final IOException | RuntimeException ex)
        {
            arena.close();
            deleteQuietly(file);
            throw ex instanceof RegionException re ? re :
                new RegionException(RegionException.Reason.IO, "cannot map new region " + file + ": " + ex, ex);
        }
    }

    /**
     * Attach to an existing region file, checking its header before any other read.
     *
     * @param file         the region file.
     * @param expectedType what the caller expects the region to hold.
     * @return the mapped region; closing it unmaps but leaves the file.
     * @throws RegionException {@code MISSING}, {@code TRUNCATED}, {@code FOREIGN},
     *                         {@code WRONG_VERSION}, {@code WRONG_TYPE} or {@code IO}.
     */
    public static SharedRegion attachFile(final Path file, final RegionType expectedType)
    {
        return attach(file, expectedType, false);
    }

    /**
     * Attach to an existing region file read-only ({@code PROT_READ}: a guest's view of the usage
     * page). The file is opened for reading only, so a {@code 0400} file attaches too. Its
     * {@link #segment()} and {@link #payload()} are read-only segments (a write throws
     * {@link IllegalArgumentException}); {@link #buffer()} and {@link #payloadBuffer()} are
     * refused, since a write through a raw buffer would fault the process instead of failing.
     *
     * @param file         the region file.
     * @param expectedType what the caller expects the region to hold.
     * @return the mapped region; closing it unmaps but leaves the file.
     * @throws RegionException as {@link #attachFile}.
     */
    public static SharedRegion attachFileReadOnly(final Path file, final RegionType expectedType)
    {
        return attach(file, expectedType, true);
    }

    private static SharedRegion attach(final Path file, final RegionType expectedType, final boolean readOnly)
    {
        final StandardOpenOption[] options = readOnly ?
            new StandardOpenOption[] {StandardOpenOption.READ} :
            new StandardOpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE};
        try (FileChannel channel = FileChannel.open(file, options))
        {
            final long fileLength = channel.size();
            if (fileLength < PAYLOAD_OFFSET)
            {
                throw new RegionException(RegionException.Reason.TRUNCATED,
                    file + " is " + fileLength + " bytes, shorter than the " + PAYLOAD_OFFSET + "-byte header page");
            }
            final Arena arena = Arena.ofShared();
            try
            {
                final FileChannel.MapMode mode = readOnly ? FileChannel.MapMode.READ_ONLY : FileChannel.MapMode.READ_WRITE;
                final SharedRegion region = new SharedRegion(arena, channel.map(mode, 0, fileLength, arena), file, false);
                RegionHeaderValidator.validate(region.buffer, fileLength, expectedType, file.toString());
                return region;
            }
            catch (final RuntimeException ex)
            {
                arena.close();
                throw ex;
            }
        }
        catch (final NoSuchFileException ex)
        {
            throw new RegionException(RegionException.Reason.MISSING, "no region file at " + file, ex);
        }
        catch (final IOException ex)
        {
            throw new RegionException(RegionException.Reason.IO, "cannot map region " + file + ": " + ex, ex);
        }
    }

    /**
     * Allocate a region in anonymous, page-aligned memory, for peers in the same process. A
     * region of {@link #LAZY_ANONYMOUS_BYTES} or more is its own private anonymous mapping whose
     * pages cost nothing until first touched (like a sparse file), so a guest's memory is
     * resident only as far as it is used and can be given back with {@code madvise}.
     *
     * @param type          what the region will hold.
     * @param ownerDomid    the domain that owns the region.
     * @param payloadLength bytes of payload, rounded up to whole pages.
     * @return the region, zero-filled but for its header; closing it frees the memory.
     */
    public static SharedRegion createAnonymous(final RegionType type, final int ownerDomid, final long payloadLength)
    {
        final long length = checkedRegionLength(payloadLength);
        final Arena arena = Arena.ofShared();
        final MemorySegment memory = length >= LAZY_ANONYMOUS_BYTES ?
            NativeMemory.mapAnonymous(length, arena) : arena.allocate(length, Pages.PAGE_SIZE);
        final SharedRegion region = new SharedRegion(arena, memory, null, false);
        region.writeHeader(type, ownerDomid);
        return region;
    }

    /** @return the whole region, header page included. */
    public MemorySegment segment()
    {
        return segment;
    }

    /** @return the payload, starting at {@link RegionHeaderDescriptor#PAYLOAD_OFFSET}. */
    public MemorySegment payload()
    {
        return segment.asSlice(PAYLOAD_OFFSET);
    }

    /**
     * @return the whole region as an Agrona buffer (native, little-endian order on x86-64).
     * @throws IllegalStateException when the region is mapped read-only.
     */
    public AtomicBuffer buffer()
    {
        checkWritable();
        return buffer;
    }

    /**
     * @return the payload as an Agrona buffer; index 0 is the first payload byte.
     * @throws IllegalStateException when the region is mapped read-only.
     */
    public AtomicBuffer payloadBuffer()
    {
        checkWritable();
        return payloadBuffer;
    }

    /** @return whether the region is mapped read-only ({@link #attachFileReadOnly}). */
    public boolean isReadOnly()
    {
        return segment.isReadOnly();
    }

    /** @return bytes in the whole region. */
    public long length()
    {
        return segment.byteSize();
    }

    /** @return bytes of payload. */
    public int payloadLength()
    {
        return payloadBuffer.capacity();
    }

    /** @return the owner domain recorded in the header. */
    public int ownerDomid()
    {
        return buffer.getInt(OWNER_DOMID_OFFSET);
    }

    /** @return the region type recorded in the header. */
    public RegionType type()
    {
        return RegionType.fromCode(buffer.getInt(TYPE_OFFSET));
    }

    /** @return the backing file, empty for anonymous memory. */
    public Optional<Path> path()
    {
        return Optional.ofNullable(path);
    }

    /**
     * Unmap (or free) the memory, and delete the file if this instance created it. Idempotent.
     * Call it only once no thread uses the buffers any more.
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        arena.close();
        if (unlinkOnClose)
        {
            deleteQuietly(path);
        }
    }

    private void checkWritable()
    {
        if (segment.isReadOnly())
        {
            throw new IllegalStateException("region " + path + " is mapped read-only: read it through segment() or payload()");
        }
    }

    private void writeHeader(final RegionType type, final int ownerDomid)
    {
        buffer.putInt(VERSION_OFFSET, ABI_VERSION);
        buffer.putLong(REGION_LENGTH_OFFSET, segment.byteSize());
        buffer.putInt(OWNER_DOMID_OFFSET, ownerDomid);
        buffer.putInt(TYPE_OFFSET, type.code());
        buffer.putLong(CREATOR_PID_OFFSET, ProcessHandle.current().pid());
        buffer.putIntRelease(MAGIC_OFFSET, MAGIC);
    }

    private static void createOwnerOnlyFile(final Path file)
    {
        try
        {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        catch (final FileAlreadyExistsException ex)
        {
            throw new RegionException(RegionException.Reason.ALREADY_EXISTS, "a file already exists at " + file, ex);
        }
        catch (final IOException ex)
        {
            throw new RegionException(RegionException.Reason.IO, "cannot create region file " + file + ": " + ex, ex);
        }
    }

    private static long checkedRegionLength(final long payloadLength)
    {
        if (payloadLength < 0 || payloadLength > Integer.MAX_VALUE - PAYLOAD_OFFSET - Pages.PAGE_SIZE)
        {
            throw new RegionException(RegionException.Reason.INVALID_SIZE,
                "payload length " + payloadLength + " is outside 0.." + (Integer.MAX_VALUE - PAYLOAD_OFFSET - Pages.PAGE_SIZE));
        }
        return regionLength(payloadLength);
    }

    private static int checkedIntLength(final long length)
    {
        if (length > Integer.MAX_VALUE)
        {
            throw new RegionException(RegionException.Reason.INVALID_SIZE, "region of " + length + " bytes exceeds 2 GiB");
        }
        return (int)length;
    }

    private static void deleteQuietly(final Path file)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ignore)
        {
            // best effort: the file is in the run directory, which the host removes on stop
        }
    }
}
