package org.coopvm.guest.mem;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.rings.mem.Pages;

import java.util.BitSet;

/**
 * The guest's page allocator: a bitmap over the frames of its memory region (frame f is payload
 * bytes {@code f * 4096 .. f * 4096 + 4095}). A first version; the memory issue replaces it
 * with a buddy allocator.
 *
 * <p>Thread safety: every method may be called from any thread (synchronized).
 */
public final class PageAllocator
{
    /** What {@link #allocate()} returns when no frame is free. */
    public static final int NO_FRAME = -1;

    private final AtomicBuffer memory;
    private final int frames;
    private final BitSet used;
    private int searchFrom;
    private int free;

    /**
     * @param memory the memory region's payload (frame 0 at offset 0).
     * @param frames frames to manage, from frame 0; at most {@code memory.capacity() / 4096}.
     */
    public PageAllocator(final AtomicBuffer memory, final int frames)
    {
        if (frames < 0 || (long)frames * Pages.PAGE_SIZE > memory.capacity())
        {
            throw new IllegalArgumentException(frames + " frames do not fit in " + memory.capacity() + " bytes");
        }
        this.memory = memory;
        this.frames = frames;
        this.used = new BitSet(frames);
        this.free = frames;
    }

    /** @return a free frame, now in use, or {@link #NO_FRAME}. Its content is zeroed. */
    public synchronized int allocate()
    {
        if (free == 0)
        {
            return NO_FRAME;
        }
        int frame = used.nextClearBit(searchFrom);
        if (frame >= frames)
        {
            frame = used.nextClearBit(0);
        }
        used.set(frame);
        free--;
        searchFrom = frame + 1;
        memory.setMemory(frame * Pages.PAGE_SIZE, Pages.PAGE_SIZE, (byte)0);
        return frame;
    }

    /**
     * Return a frame.
     *
     * @param frame a frame {@link #allocate()} returned.
     * @throws IllegalArgumentException when the frame is out of range or not in use (a double free).
     */
    public synchronized void free(final int frame)
    {
        if (frame < 0 || frame >= frames || !used.get(frame))
        {
            throw new IllegalArgumentException("frame " + frame + " is not allocated");
        }
        used.clear(frame);
        free++;
    }

    /**
     * @param frame a frame of this guest's memory.
     * @return a bounds-checked 4096-byte view of it.
     */
    public AtomicBuffer page(final int frame)
    {
        if (frame < 0 || frame >= frames)
        {
            throw new IndexOutOfBoundsException("frame " + frame + " outside 0.." + (frames - 1));
        }
        return new UnsafeBuffer(memory, frame * Pages.PAGE_SIZE, Pages.PAGE_SIZE);
    }

    /** @return frames managed. */
    public int frames()
    {
        return frames;
    }

    /** @return frames free now. */
    public synchronized int freeFrames()
    {
        return free;
    }
}
