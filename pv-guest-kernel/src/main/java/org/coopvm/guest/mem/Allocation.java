package org.coopvm.guest.mem;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.rings.mem.Pages;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * Memory a workload got from {@link GuestMemory}: {@link #length()} bytes made of one or more
 * buddy blocks (each a run of contiguous frames, the largest first), read and written at byte
 * offsets {@code 0 .. length() - 1} as if it were one buffer; an access that crosses a block
 * boundary is split. Integers are little-endian, as everywhere in CoopVM. Every access is
 * bounds-checked against {@link #length()} ({@link IndexOutOfBoundsException}) and refused once
 * the allocation is freed ({@link IllegalStateException}), so a workload never touches a frame
 * that went back to the allocator or to the balloon through it.
 *
 * <p>{@link #page} and {@link #block} hand out raw views (for granting a page to another
 * domain, or for code that wants an Agrona buffer): those are bounds-checked to their page or
 * block, but cannot know about {@link GuestMemory#free}; drop them before freeing.
 *
 * <p>Thread safety: any thread may read and write, as with any memory: the accessors are plain
 * loads and stores with no ordering between threads (publish through a lock, a volatile or a
 * task hand-off). Freeing while another thread still accesses it is a programming error.
 */
public final class Allocation
{
    private final GuestMemory owner;
    private final AtomicBuffer memory;
    private final int[] blockFrames;
    private final int[] blockPages;
    private final int[] blockFirstPage;
    private final long length;
    private final int pages;
    private volatile boolean freed;

    Allocation(final GuestMemory owner, final AtomicBuffer memory, final BlockList blocks, final long length)
    {
        this.owner = owner;
        this.memory = memory;
        this.length = length;
        this.blockFrames = new int[blocks.size()];
        this.blockPages = new int[blocks.size()];
        this.blockFirstPage = new int[blocks.size()];
        int page = 0;
        for (int i = 0; i < blocks.size(); i++)
        {
            blockFrames[i] = blocks.first(i);
            blockPages[i] = blocks.length(i);
            blockFirstPage[i] = page;
            page += blocks.length(i);
        }
        this.pages = page;
    }

    /** @return bytes usable through the accessors (what was asked for; the last page may have room past it). */
    public long length()
    {
        return length;
    }

    /** @return pages held. */
    public int pages()
    {
        return pages;
    }

    /** @return buddy blocks the pages come in. */
    public int blocks()
    {
        return blockFrames.length;
    }

    /**
     * @param block a block, {@code 0 .. blocks() - 1}.
     * @return its first guest frame.
     */
    public int blockFrame(final int block)
    {
        return blockFrames[block];
    }

    /**
     * @param block a block, {@code 0 .. blocks() - 1}.
     * @return its length in pages (a power of two).
     */
    public int blockPages(final int block)
    {
        return blockPages[block];
    }

    /**
     * @param page a page of this allocation, {@code 0 .. pages() - 1}.
     * @return its guest frame number (what a grant names).
     */
    public int frame(final int page)
    {
        if (page < 0 || page >= pages)
        {
            throw new IndexOutOfBoundsException("page " + page + " outside 0.." + (pages - 1));
        }
        final int block = blockOf(page);
        return blockFrames[block] + page - blockFirstPage[block];
    }

    /**
     * @param page a page of this allocation, {@code 0 .. pages() - 1}.
     * @return a 4096-byte view of it.
     */
    public AtomicBuffer page(final int page)
    {
        final int frame = frame(page);
        checkLive();
        return new UnsafeBuffer(memory, frame * Pages.PAGE_SIZE, Pages.PAGE_SIZE);
    }

    /**
     * @param block a block, {@code 0 .. blocks() - 1}.
     * @return a view of its contiguous pages.
     */
    public AtomicBuffer block(final int block)
    {
        checkLive();
        return new UnsafeBuffer(memory, blockFrames[block] * Pages.PAGE_SIZE, blockPages[block] * Pages.PAGE_SIZE);
    }

    /** @return whether it was given back with {@link GuestMemory#free}. */
    public boolean isFreed()
    {
        return freed;
    }

    /** @param offset byte offset. @return the byte there. */
    public byte getByte(final long offset)
    {
        checkAccess(offset, 1);
        return memory.getByte(index(offset));
    }

    /** @param offset byte offset. @param value the byte to store. */
    public void putByte(final long offset, final byte value)
    {
        checkAccess(offset, 1);
        memory.putByte(index(offset), value);
    }

    /** @param offset byte offset. @return the little-endian int there. */
    public int getInt(final long offset)
    {
        checkAccess(offset, Integer.BYTES);
        return bytesToBlockEnd(offset) >= Integer.BYTES ?
            memory.getInt(index(offset), ByteOrder.LITTLE_ENDIAN) : (int)readAcross(offset, Integer.BYTES);
    }

    /** @param offset byte offset. @param value stored little-endian. */
    public void putInt(final long offset, final int value)
    {
        checkAccess(offset, Integer.BYTES);
        if (bytesToBlockEnd(offset) >= Integer.BYTES)
        {
            memory.putInt(index(offset), value, ByteOrder.LITTLE_ENDIAN);
        }
        else
        {
            writeAcross(offset, Integer.BYTES, value);
        }
    }

    /** @param offset byte offset. @return the little-endian long there. */
    public long getLong(final long offset)
    {
        checkAccess(offset, Long.BYTES);
        return bytesToBlockEnd(offset) >= Long.BYTES ?
            memory.getLong(index(offset), ByteOrder.LITTLE_ENDIAN) : readAcross(offset, Long.BYTES);
    }

    /** @param offset byte offset. @param value stored little-endian. */
    public void putLong(final long offset, final long value)
    {
        checkAccess(offset, Long.BYTES);
        if (bytesToBlockEnd(offset) >= Long.BYTES)
        {
            memory.putLong(index(offset), value, ByteOrder.LITTLE_ENDIAN);
        }
        else
        {
            writeAcross(offset, Long.BYTES, value);
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
        forEachRun(offset, length, (index, done, run) -> memory.getBytes(index, dst, dstOffset + done, run));
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
        forEachRun(offset, length, (index, done, run) -> memory.putBytes(index, src, srcOffset + done, run));
    }

    /**
     * @param offset   byte offset in this allocation.
     * @param dst      where the bytes go.
     * @param dstIndex first index in {@code dst}.
     * @param length   bytes.
     */
    public void getBytes(final long offset, final MutableDirectBuffer dst, final int dstIndex, final int length)
    {
        Objects.checkFromIndexSize(dstIndex, length, dst.capacity());
        checkAccess(offset, length);
        forEachRun(offset, length, (index, done, run) -> memory.getBytes(index, dst, dstIndex + done, run));
    }

    /**
     * @param offset   byte offset in this allocation.
     * @param src      the bytes.
     * @param srcIndex first index in {@code src}.
     * @param length   bytes.
     */
    public void putBytes(final long offset, final DirectBuffer src, final int srcIndex, final int length)
    {
        Objects.checkFromIndexSize(srcIndex, length, src.capacity());
        checkAccess(offset, length);
        forEachRun(offset, length, (index, done, run) -> memory.putBytes(index, src, srcIndex + done, run));
    }

    /**
     * @param offset byte offset in this allocation.
     * @param length bytes.
     * @param value  the byte to fill with.
     */
    public void setMemory(final long offset, final long length, final byte value)
    {
        checkAccess(offset, length);
        forEachRun(offset, length, (index, done, run) -> memory.setMemory(index, run, value));
    }

    @Override
    public String toString()
    {
        return "Allocation[" + length + " bytes, " + pages + " pages in " + blockFrames.length + " blocks" + (freed ? ", freed]" : "]");
    }

    GuestMemory owner()
    {
        return owner;
    }

    /** Called by the owner, under its lock, as it frees the blocks. */
    void markFreed()
    {
        freed = true;
    }

    /** Zero every page (the allocator does it before handing the allocation out). */
    void zero()
    {
        for (int i = 0; i < blockFrames.length; i++)
        {
            memory.setMemory(blockFrames[i] * Pages.PAGE_SIZE, blockPages[i] * Pages.PAGE_SIZE, (byte)0);
        }
    }

    /** A contiguous run of bytes inside one block. */
    @FunctionalInterface
    private interface Run
    {
        void accept(int memoryIndex, int done, int length);
    }

    private void forEachRun(final long offset, final long length, final Run run)
    {
        long done = 0;
        while (done < length)
        {
            final long at = offset + done;
            final int chunk = (int)Math.min(length - done, bytesToBlockEnd(at));
            run.accept(index(at), (int)done, chunk);
            done += chunk;
        }
    }

    private long readAcross(final long offset, final int size)
    {
        long value = 0;
        for (int i = 0; i < size; i++)
        {
            value |= (memory.getByte(index(offset + i)) & 0xFFL) << (8 * i);
        }
        return value;
    }

    private void writeAcross(final long offset, final int size, final long value)
    {
        for (int i = 0; i < size; i++)
        {
            memory.putByte(index(offset + i), (byte)(value >>> (8 * i)));
        }
    }

    private void checkLive()
    {
        if (freed)
        {
            throw new IllegalStateException("allocation already freed");
        }
    }

    private void checkAccess(final long offset, final long size)
    {
        checkLive();
        if (offset < 0 || size < 0 || offset > length - size)
        {
            throw new IndexOutOfBoundsException("bytes " + offset + "+" + size + " outside 0.." + length);
        }
    }

    private int blockOf(final int page)
    {
        final int found = Arrays.binarySearch(blockFirstPage, page);
        return found >= 0 ? found : -found - 2;
    }

    private int index(final long offset)
    {
        final int block = blockOf((int)(offset >>> Pages.PAGE_SHIFT));
        return blockFrames[block] * Pages.PAGE_SIZE + (int)(offset - (long)blockFirstPage[block] * Pages.PAGE_SIZE);
    }

    private long bytesToBlockEnd(final long offset)
    {
        final int block = blockOf((int)(offset >>> Pages.PAGE_SHIFT));
        return (long)(blockFirstPage[block] + blockPages[block]) * Pages.PAGE_SIZE - offset;
    }
}
