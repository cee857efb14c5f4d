package org.coopvm.guest.mem;

import org.agrona.concurrent.AtomicBuffer;
import org.coopvm.rings.mem.Pages;

import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Swappable memory a workload got from {@link GuestMemory#allocateSwappable}: {@link #pages()}
 * pages read and written at byte offsets {@code 0 .. length() - 1} through this handle only (there
 * is no raw view: the frame behind a page changes when it goes out and comes back). An access to a
 * page that is out brings it back in first (a major fault: the calling thread waits for the swap
 * device) and marks it recently used; an access that crosses a page boundary is split. Integers
 * are little-endian. Every access is bounds-checked ({@link IndexOutOfBoundsException}) and
 * refused once freed ({@link IllegalStateException}); one whose page cannot be brought back in
 * throws {@link SwapFaultException}.
 *
 * <p>Thread safety: any thread, except an event handler or a block completion (see
 * {@link SwapSpace}); each single access is atomic with respect to swapping, not to other
 * threads' accesses (publish through a lock, a volatile or a task hand-off).
 */
public final class SwappableAllocation
{
    private static final int PAGE_MASK = Pages.PAGE_SIZE - 1;

    private final SwapSpace space;
    private final int[] ids;
    private volatile boolean freed;

    SwappableAllocation(final SwapSpace space, final int[] ids)
    {
        this.space = space;
        this.ids = ids;
    }

    /** @return pages. */
    public int pages()
    {
        return ids.length;
    }

    /** @return bytes ({@code pages() * 4096}). */
    public long length()
    {
        return (long)ids.length * Pages.PAGE_SIZE;
    }

    /** @return whether it was given back. */
    public boolean isFreed()
    {
        return freed;
    }

    /**
     * @param page a page, {@code 0 .. pages() - 1}.
     * @return whether it is resident now (it may go out right after); does not count as an access.
     */
    public boolean isResident(final int page)
    {
        Objects.checkIndex(page, ids.length);
        checkLive();
        return space.isResident(ids[page]);
    }

    /** @param offset byte offset. @return the byte there. */
    public byte getByte(final long offset)
    {
        checkAccess(offset, 1);
        final AtomicBuffer page = space.pin(ids[(int)(offset >>> Pages.PAGE_SHIFT)]);
        try
        {
            return page.getByte((int)(offset & PAGE_MASK));
        }
        finally
        {
            space.unpin();
        }
    }

    /** @param offset byte offset. @param value the byte to store. */
    public void putByte(final long offset, final byte value)
    {
        checkAccess(offset, 1);
        final AtomicBuffer page = space.pin(ids[(int)(offset >>> Pages.PAGE_SHIFT)]);
        try
        {
            page.putByte((int)(offset & PAGE_MASK), value);
        }
        finally
        {
            space.unpin();
        }
    }

    /** @param offset byte offset. @return the little-endian long there. */
    public long getLong(final long offset)
    {
        checkAccess(offset, Long.BYTES);
        final int in = (int)(offset & PAGE_MASK);
        if (in > Pages.PAGE_SIZE - Long.BYTES)
        {
            final byte[] bytes = new byte[Long.BYTES];
            getBytes(offset, bytes, 0, Long.BYTES);
            return java.nio.ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        }
        final AtomicBuffer page = space.pin(ids[(int)(offset >>> Pages.PAGE_SHIFT)]);
        try
        {
            return page.getLong(in, ByteOrder.LITTLE_ENDIAN);
        }
        finally
        {
            space.unpin();
        }
    }

    /** @param offset byte offset. @param value stored little-endian. */
    public void putLong(final long offset, final long value)
    {
        checkAccess(offset, Long.BYTES);
        final int in = (int)(offset & PAGE_MASK);
        if (in > Pages.PAGE_SIZE - Long.BYTES)
        {
            final byte[] bytes = new byte[Long.BYTES];
            java.nio.ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(value);
            putBytes(offset, bytes, 0, Long.BYTES);
            return;
        }
        final AtomicBuffer page = space.pin(ids[(int)(offset >>> Pages.PAGE_SHIFT)]);
        try
        {
            page.putLong(in, value, ByteOrder.LITTLE_ENDIAN);
        }
        finally
        {
            space.unpin();
        }
    }

    /**
     * @param offset    byte offset in this allocation.
     * @param dst       where the bytes go.
     * @param dstOffset first index in {@code dst}.
     * @param length    bytes.
     */
    public void getBytes(final long offset, final byte[] dst, final int dstOffset, final int length)
    {
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        checkAccess(offset, length);
        forEachPageRun(offset, length, (page, in, done, run) -> page.getBytes(in, dst, dstOffset + done, run));
    }

    /**
     * @param offset    byte offset in this allocation.
     * @param src       the bytes.
     * @param srcOffset first index in {@code src}.
     * @param length    bytes.
     */
    public void putBytes(final long offset, final byte[] src, final int srcOffset, final int length)
    {
        Objects.checkFromIndexSize(srcOffset, length, src.length);
        checkAccess(offset, length);
        forEachPageRun(offset, length, (page, in, done, run) -> page.putBytes(in, src, srcOffset + done, run));
    }

    /** Give the pages back (frames and swap slots); waits for pages in transfer. Once. */
    void free()
    {
        synchronized (this)
        {
            if (freed)
            {
                throw new IllegalArgumentException(this + ": double free");
            }
            freed = true;
        }
        space.free(ids);
    }

    /** @return the swap space it belongs to. */
    SwapSpace owner()
    {
        return space;
    }

    @Override
    public String toString()
    {
        return "SwappableAllocation[" + ids.length + " pages]";
    }

    /** Run {@code action} on each page's part of {@code [offset, offset + length)}, each page pinned while it runs. */
    private void forEachPageRun(final long offset, final int length, final PageRun action)
    {
        int done = 0;
        while (done < length)
        {
            final long at = offset + done;
            final int in = (int)(at & PAGE_MASK);
            final int run = Math.min(length - done, Pages.PAGE_SIZE - in);
            final AtomicBuffer page = space.pin(ids[(int)(at >>> Pages.PAGE_SHIFT)]);
            try
            {
                action.run(page, in, done, run);
            }
            finally
            {
                space.unpin();
            }
            done += run;
        }
    }

    /** One page's part of an access. */
    @FunctionalInterface
    private interface PageRun
    {
        void run(AtomicBuffer page, int offsetInPage, int done, int length);
    }

    private void checkLive()
    {
        if (freed)
        {
            throw new IllegalStateException(this + " was freed");
        }
    }

    private void checkAccess(final long offset, final long length)
    {
        checkLive();
        Objects.checkFromIndexSize(offset, length, length());
    }
}
