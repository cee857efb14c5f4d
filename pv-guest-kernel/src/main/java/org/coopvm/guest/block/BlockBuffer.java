package org.coopvm.guest.block;

import org.coopvm.guest.mem.Allocation;

/**
 * Guest pages a {@link BlockDevice} reads into and writes from: an {@link Allocation} whose every
 * page is granted, writable, to the disk's backend for as long as the buffer lives (Xen's
 * persistent grants: the same grants serve every request, so the backend maps each page once).
 * Read and write the data through {@link #memory()}.
 *
 * <p>Thread safety: as an {@link Allocation}; do not touch a page while a request on it is in
 * flight.
 */
public final class BlockBuffer
{
    private final Allocation memory;
    private final int[] grefs;

    BlockBuffer(final Allocation memory, final int[] grefs)
    {
        this.memory = memory;
        this.grefs = grefs;
    }

    /** @return the pages, to read and write the data. */
    public Allocation memory()
    {
        return memory;
    }

    /** @return pages in the buffer. */
    public int pages()
    {
        return grefs.length;
    }

    /** @return bytes in the buffer. */
    public long length()
    {
        return memory.length();
    }

    /**
     * @param page a page index.
     * @return the grant reference of that page.
     */
    public int gref(final int page)
    {
        return grefs[page];
    }

    int[] grefs()
    {
        return grefs;
    }
}
