package org.coopvm.hypervisor.memory;

import org.coopvm.rings.mem.NativeMemory;
import org.coopvm.rings.mem.Pages;
import org.coopvm.rings.region.RegionHeaderDescriptor;
import org.coopvm.rings.region.SharedRegion;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * One domain's memory as the host manages it: its {@link Physmap} and the backing of its
 * memory region, whose pages really go back to the machine when the guest gives them up: a
 * hole is punched in the memory file ({@code fallocate}), or anonymous pages are dropped
 * ({@code madvise(MADV_DONTNEED)}). Adjacent frames given up (or handed out) in one hypercall,
 * in ascending or descending order, are coalesced into one system call. What the domain holds in
 * memory is measured, never assumed: the file's allocated blocks ({@code fstat}), or the
 * mapping's resident pages ({@code mincore}); both include the region's 4 KiB header page.
 *
 * <p>Thread safety: the physmap and {@link #discardLater} under the hypervisor lock;
 * {@link #residentBytes()} from any thread (metrics, API). The backing's calls and
 * {@link #close()} are synchronized, so a measurement never uses a closed descriptor.
 */
public final class DomainMemory implements AutoCloseable
{
    private final Physmap physmap;
    private final SharedRegion region;
    private final int fd;
    private long runStart;
    private long runPages;
    private long discardCalls;
    private long discardFailures;
    private boolean closed;

    private DomainMemory(final Physmap physmap, final SharedRegion region, final int fd)
    {
        this.physmap = physmap;
        this.region = region;
        this.fd = fd;
    }

    /**
     * @param region    the domain's memory region (file or anonymous); frame f is payload bytes f * 4096...
     * @param bootPages frames populated from the start (0 .. bootPages - 1).
     * @return the domain's memory; close it before the region.
     * @throws IllegalStateException when the memory file cannot be opened.
     */
    public static DomainMemory create(final SharedRegion region, final long bootPages)
    {
        final Physmap physmap = new Physmap(region.payloadLength() / Pages.PAGE_SIZE, bootPages);
        final Path file = region.path().orElse(null);
        if (file == null)
        {
            return new DomainMemory(physmap, region, -1);
        }
        final int fd = NativeMemory.open(file);
        if (fd < 0)
        {
            throw new IllegalStateException("cannot open memory file " + file + ": errno " + -fd);
        }
        return new DomainMemory(physmap, region, fd);
    }

    /** @return which frames are populated, and the limits. */
    public Physmap physmap()
    {
        return physmap;
    }

    /** @return whether the memory is a file (else anonymous). */
    public boolean isFileBacked()
    {
        return fd >= 0;
    }

    /**
     * Give frames back to the machine, now or with the next adjacent ones (at {@link #flushDiscards()}
     * at the latest). Their content reads zero afterwards. Runs are joined in either direction:
     * a balloon deflates the frames it took most recently first, so its extent lists descend.
     *
     * @param gpfn  first frame.
     * @param pages how many.
     */
    public void discardLater(final long gpfn, final long pages)
    {
        if (runPages > 0 && runStart + runPages == gpfn)
        {
            runPages += pages;
            return;
        }
        if (runPages > 0 && gpfn + pages == runStart)
        {
            runStart = gpfn;
            runPages += pages;
            return;
        }
        flushDiscards();
        runStart = gpfn;
        runPages = pages;
    }

    /** Give back what {@link #discardLater} collected. */
    public void flushDiscards()
    {
        if (runPages > 0)
        {
            discard(runStart, runPages);
            runPages = 0;
        }
    }

    /** @return bytes of this domain's memory held by the machine now (file blocks or resident pages), 0 once closed or on error. */
    public synchronized long residentBytes()
    {
        if (closed)
        {
            return 0;
        }
        final long bytes = fd >= 0 ? NativeMemory.allocatedBytes(fd) : NativeMemory.residentBytes(region.segment());
        return Math.max(0, bytes);
    }

    /** @return system calls made to give pages back (one per run of adjacent frames). */
    public synchronized long discardCalls()
    {
        return discardCalls;
    }

    /** @return those that failed (the pages stay allocated; the resident figure shows it). */
    public synchronized long discardFailures()
    {
        return discardFailures;
    }

    /** Close the memory file's descriptor (not the region). Idempotent. */
    @Override
    public synchronized void close()
    {
        if (!closed)
        {
            closed = true;
            if (fd >= 0)
            {
                NativeMemory.close(fd);
            }
        }
    }

    private synchronized void discard(final long gpfn, final long pages)
    {
        if (closed)
        {
            return;
        }
        final long offset = RegionHeaderDescriptor.PAYLOAD_OFFSET + gpfn * Pages.PAGE_SIZE;
        final long length = pages * Pages.PAGE_SIZE;
        final MemorySegment segment = region.segment();
        final int rc = fd >= 0 ? NativeMemory.punchHole(fd, offset, length) : NativeMemory.discard(segment.asSlice(offset, length));
        discardCalls++;
        if (rc < 0)
        {
            discardFailures++;
        }
    }
}
