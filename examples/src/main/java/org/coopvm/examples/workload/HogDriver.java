package org.coopvm.examples.workload;

import org.coopvm.guest.mem.GuestMemory;
import org.coopvm.guest.mem.SwapFaultException;
import org.coopvm.rings.mem.Pages;

import java.util.ArrayList;

/**
 * Holds what the {@code hog} demands, in chunks of {@value #CHUNK_MIB} MiB allocated from guest
 * memory: each {@link #follow} allocates or frees at most {@code maxStepChunks} chunks towards
 * the target. Every page of a new chunk gets a stamp (the chunk's serial number and the page,
 * mixed) so it is really written, and {@link #touch} checks and rewrites the stamps of a bounded
 * number of held pages per call, round-robin, counting pages whose stamp changed under the hog (it
 * should never happen: the balloon never takes allocated frames, and swap brings pages back
 * intact) or that could not be swapped back in.
 *
 * <p>An allocation that fails is an out-of-memory event (counted once per {@link #follow}); the
 * hog keeps what it holds and tries again at the next call. Pinned (the default), the hog's
 * memory is not reclaimable: a balloon that wants it waits until the demand falls. Swappable, the
 * kernel may page its cold pages out to the domain's swap disk, and the touches that find them out
 * wait for them: the balloon's cost shows as swap traffic and longer touches.
 *
 * <p>Thread safety: one caller at a time (the workload's task); the figures may be read from
 * any thread.
 */
final class HogDriver
{
    /** Allocation unit. */
    static final int CHUNK_MIB = 1;
    /** Pages per chunk. */
    static final int CHUNK_PAGES = (CHUNK_MIB << 20) / Pages.PAGE_SIZE;

    private static final long STAMP_MAGIC = 0x4B06_0000_0000_0000L;

    private final GuestMemory memory;
    private final int maxStepChunks;
    private final int touchPages;
    private final boolean swappable;
    private final ArrayList<HogChunk> chunks = new ArrayList<>();
    private final ArrayList<Long> serials = new ArrayList<>();
    private long nextSerial;
    private int touchChunk;
    private int touchPage;
    private volatile long heldChunks;
    private volatile long oomEvents;
    private volatile long touchErrors;

    /**
     * @param memory        where the chunks come from.
     * @param maxStepChunks most chunks allocated or freed per {@link #follow}, at least 1.
     * @param touchPages    pages checked and rewritten per {@link #touch}, at least 0.
     */
    HogDriver(final GuestMemory memory, final int maxStepChunks, final int touchPages)
    {
        this(memory, maxStepChunks, touchPages, false);
    }

    /**
     * @param memory        where the chunks come from.
     * @param maxStepChunks most chunks allocated or freed per {@link #follow}, at least 1.
     * @param touchPages    pages checked and rewritten per {@link #touch}, at least 0.
     * @param swappable     whether the chunks are swappable.
     */
    HogDriver(final GuestMemory memory, final int maxStepChunks, final int touchPages, final boolean swappable)
    {
        if (maxStepChunks < 1 || touchPages < 0)
        {
            throw new IllegalArgumentException("need maxStepChunks >= 1 and touchPages >= 0: " + maxStepChunks + ", " + touchPages);
        }
        this.memory = memory;
        this.maxStepChunks = maxStepChunks;
        this.touchPages = touchPages;
        this.swappable = swappable;
    }

    /**
     * @param demandMib demand in MiB.
     * @return chunks that cover it (rounded up, so the hog holds at least the demand).
     */
    static long chunksFor(final double demandMib)
    {
        return (long)Math.ceil(demandMib / CHUNK_MIB - 1e-9);
    }

    /**
     * Move towards {@code targetChunks} by at most {@code maxStepChunks}.
     *
     * @param targetChunks chunks wanted.
     * @return false when an allocation ran out of memory (an event was counted).
     */
    boolean follow(final long targetChunks)
    {
        boolean enough = true;
        final long step = Math.min(maxStepChunks, Math.abs(targetChunks - chunks.size()));
        for (long i = 0; i < step && enough; i++)
        {
            enough = chunks.size() < targetChunks ? grow() : shrink();
        }
        heldChunks = chunks.size();
        if (!enough)
        {
            oomEvents++;
        }
        return enough;
    }

    /** Check and rewrite the stamps of the next {@code touchPages} held pages. */
    void touch()
    {
        for (int i = 0; i < touchPages && !chunks.isEmpty(); i++)
        {
            if (touchChunk >= chunks.size())
            {
                touchChunk = 0;
                touchPage = 0;
            }
            touchOne(chunks.get(touchChunk), stamp(serials.get(touchChunk), touchPage), (long)touchPage * Pages.PAGE_SIZE);
            if (++touchPage == CHUNK_PAGES)
            {
                touchPage = 0;
                touchChunk++;
            }
        }
    }

    /** @return MiB held. */
    long heldMib()
    {
        return heldChunks * CHUNK_MIB;
    }

    /** @return follows that ran out of memory. */
    long oomEvents()
    {
        return oomEvents;
    }

    /** @return held pages found without their stamp. */
    long touchErrors()
    {
        return touchErrors;
    }

    private void touchOne(final HogChunk chunk, final long stamp, final long offset)
    {
        try
        {
            if (chunk.getLong(offset) != stamp)
            {
                touchErrors++;
                chunk.putLong(offset, stamp);
            }
        }
        catch (final SwapFaultException ex)
        {
            touchErrors++;
        }
    }

    private boolean grow()
    {
        final HogChunk chunk = HogChunk.allocate(memory, CHUNK_PAGES, swappable).orElse(null);
        if (chunk == null)
        {
            return false;
        }
        final long serial = nextSerial++;
        for (int page = 0; page < CHUNK_PAGES; page++)
        {
            chunk.putLong((long)page * Pages.PAGE_SIZE, stamp(serial, page));
        }
        chunks.add(chunk);
        serials.add(serial);
        return true;
    }

    private boolean shrink()
    {
        chunks.removeLast().free(memory);
        serials.removeLast();
        return true;
    }

    private static long stamp(final long serial, final int page)
    {
        return STAMP_MAGIC ^ serial << 20 ^ page;
    }
}
