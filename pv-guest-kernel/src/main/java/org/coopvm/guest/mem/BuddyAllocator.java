package org.coopvm.guest.mem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A binary buddy allocator over guest frame numbers {@code 0 .. maxFrames - 1}, with two pools of
 * free blocks: <em>free</em> (online, ready to allocate) and <em>offline</em> (not populated, or
 * given to the balloon; never allocated). Blocks hold {@code 2^order} frames, order
 * {@code 0 .. MAX_ORDER}, and start at a multiple of their size.
 *
 * <p>No object per frame or per block: each pool keeps one doubly linked list per order, threaded
 * through two int arrays indexed by frame ({@code next}, {@code prev}, valid at a block's first
 * frame), and a byte per frame tells whether that frame heads a free, offline or allocated block
 * and of which order (0 for every other frame). That is 9 bytes per frame: 2.25 MiB of heap for
 * 1 GiB of guest memory. Allocating and freeing a block cost {@code O(MAX_ORDER)}: a bit mask of
 * non-empty lists finds the order, then at most {@code MAX_ORDER} splits or merges.
 *
 * <p>{@code MAX_ORDER} is 10 (blocks of up to 1024 frames, 4 MiB), as in Linux on x86-64: a
 * 4 MiB range is large enough that punching it out of the domain's file costs one system call
 * per 4 MiB (1 GiB is 256 blocks), it covers a 2 MiB huge page whole, and larger orders would
 * only make allocation requests wait on ever rarer fully free blocks.
 *
 * <p>Thread safety: none. {@link GuestMemory} calls it under its lock.
 */
final class BuddyAllocator
{
    /** The largest order: blocks of {@code 2^10} frames, 4 MiB. */
    static final int MAX_ORDER = 10;

    /** What a block-finding method returns when there is no such block. */
    static final int NONE = -1;

    private static final int FREE_TAG = 0x10;
    private static final int OFFLINE_TAG = 0x20;
    private static final int ALLOCATED_TAG = 0x40;
    private static final int TAG_MASK = 0x70;
    private static final int ORDER_MASK = 0x0F;

    /** What {@link #stateOf} reports for one frame. */
    enum FrameState
    {
        FREE, OFFLINE, ALLOCATED
    }

    /**
     * One block of a pool, for tests and diagnostics.
     *
     * @param first its first frame.
     * @param order log2 of its size in frames.
     */
    record Block(int first, int order)
    {
    }

    private final int maxFrames;
    private final int[] next;
    private final int[] prev;
    private final byte[] tags;
    private final FreeLists free = new FreeLists(FREE_TAG);
    private final FreeLists offline = new FreeLists(OFFLINE_TAG);

    /**
     * @param maxFrames    frames the guest may ever own (its maxmem).
     * @param onlineFrames frames populated at boot: {@code [0, onlineFrames)} start free, the rest offline.
     */
    BuddyAllocator(final int maxFrames, final int onlineFrames)
    {
        if (maxFrames < 0 || onlineFrames < 0 || onlineFrames > maxFrames)
        {
            throw new IllegalArgumentException("need 0 <= onlineFrames (" + onlineFrames + ") <= maxFrames (" + maxFrames + ")");
        }
        this.maxFrames = maxFrames;
        this.next = new int[maxFrames];
        this.prev = new int[maxFrames];
        this.tags = new byte[maxFrames];
        free.insertRange(0, onlineFrames);
        offline.insertRange(onlineFrames, maxFrames - onlineFrames);
    }

    int maxFrames()
    {
        return maxFrames;
    }

    int freeFrames()
    {
        return free.frames;
    }

    int offlineFrames()
    {
        return offline.frames;
    }

    int onlineFrames()
    {
        return maxFrames - offline.frames;
    }

    /**
     * Take exactly {@code pages} free frames, in as few blocks as the free lists allow (the
     * largest power of two that fits what is left, split from a larger block when needed).
     *
     * @param pages frames wanted, at least 1.
     * @param out   receives the blocks, each {@code (first, 2^order)}.
     * @return {@code false}, taking nothing, when fewer frames are free.
     */
    boolean allocate(final int pages, final BlockList out)
    {
        if (pages <= 0 || pages > free.frames)
        {
            return false;
        }
        int remaining = pages;
        while (remaining > 0)
        {
            final int taken = free.take(orderFloor(remaining), out);
            tags[out.first(out.size() - 1)] = (byte)(ALLOCATED_TAG | Integer.numberOfTrailingZeros(taken));
            remaining -= taken;
        }
        return true;
    }

    /**
     * Give back an allocated block; it merges with its free buddies.
     *
     * @param first  the block's first frame, as {@link #allocate} reported it.
     * @param length its length in frames.
     * @throws IllegalArgumentException when no allocated block of that size starts there (a double free).
     */
    void free(final int first, final int length)
    {
        final int order = Integer.numberOfTrailingZeros(length);
        if (first < 0 || first >= maxFrames || Integer.bitCount(length) != 1 || tags[first] != (byte)(ALLOCATED_TAG | order))
        {
            throw new IllegalArgumentException("frames " + first + "+" + length + " are not an allocated block");
        }
        tags[first] = 0;
        free.insert(first, order);
    }

    /**
     * Move up to {@code pages} free frames offline, largest blocks first.
     *
     * @param pages frames wanted.
     * @param out   receives the blocks taken.
     * @return frames taken: {@code min(pages, freeFrames())}.
     */
    int offline(final int pages, final BlockList out)
    {
        final int wanted = Math.min(pages, free.frames);
        int remaining = wanted;
        while (remaining > 0)
        {
            final int taken = free.take(orderFloor(remaining), out);
            offline.insert(out.first(out.size() - 1), Integer.numberOfTrailingZeros(taken));
            remaining -= taken;
        }
        return wanted;
    }

    /**
     * Report offline frames, largest blocks first, without changing anything.
     *
     * @param pages at most this many frames.
     * @param out   receives the ranges.
     * @return frames reported.
     */
    int peekOffline(final int pages, final BlockList out)
    {
        int remaining = pages;
        for (int order = MAX_ORDER; order >= 0 && remaining > 0; order--)
        {
            for (int head = offline.heads[order]; head != NONE && remaining > 0; head = next[head])
            {
                final int length = Math.min(1 << order, remaining);
                out.add(head, length);
                remaining -= length;
            }
        }
        return pages - remaining;
    }

    /**
     * @param first  first frame.
     * @param length frames.
     * @throws IllegalArgumentException naming the first frame of the range that is not offline.
     */
    void requireOffline(final int first, final int length)
    {
        checkRange(first, length);
        final int end = first + length;
        int frame = first;
        while (frame < end)
        {
            final int head = offline.containing(frame);
            if (head == NONE)
            {
                throw new IllegalArgumentException("frame " + frame + " is not offline");
            }
            frame = head + (1 << (tags[head] & ORDER_MASK));
        }
    }

    /**
     * Bring offline frames online: they become free.
     *
     * @param first  first frame.
     * @param length frames.
     * @throws IllegalArgumentException when a frame of the range is not offline (nothing changes).
     */
    void online(final int first, final int length)
    {
        requireOffline(first, length);
        final int end = first + length;
        int frame = first;
        while (frame < end)
        {
            final int head = offline.containing(frame);
            final int order = tags[head] & ORDER_MASK;
            final int blockEnd = head + (1 << order);
            final int stop = Math.min(blockEnd, end);
            offline.remove(head, order);
            offline.insertRange(head, frame - head);
            free.insertRange(frame, stop - frame);
            offline.insertRange(stop, blockEnd - stop);
            frame = stop;
        }
    }

    /**
     * @param frame a frame.
     * @return what it is now.
     */
    FrameState stateOf(final int frame)
    {
        checkRange(frame, 1);
        for (int order = 0; order <= MAX_ORDER; order++)
        {
            final int head = frame & (-1 << order);
            final int tagged = tags[head];
            if (tagged != 0 && (tagged & ORDER_MASK) == order)
            {
                return switch (tagged & TAG_MASK)
                {
                    case FREE_TAG -> FrameState.FREE;
                    case OFFLINE_TAG -> FrameState.OFFLINE;
                    default -> FrameState.ALLOCATED;
                };
            }
        }
        throw new IllegalStateException("frame " + frame + " is in no block");
    }

    /**
     * @param state {@link FrameState#FREE} or {@link FrameState#OFFLINE}.
     * @return that pool's blocks, walking its lists (for tests and diagnostics: {@code O(blocks)}).
     */
    List<Block> blocks(final FrameState state)
    {
        final FreeLists pool = state == FrameState.OFFLINE ? offline : free;
        final List<Block> blocks = new ArrayList<>();
        for (int order = 0; order <= MAX_ORDER; order++)
        {
            for (int head = pool.heads[order]; head != NONE; head = next[head])
            {
                blocks.add(new Block(head, order));
            }
        }
        return blocks;
    }

    private void checkRange(final int first, final int length)
    {
        if (first < 0 || length < 0 || first > maxFrames - length)
        {
            throw new IllegalArgumentException("frames " + first + "+" + length + " outside 0.." + maxFrames);
        }
    }

    /** @return the largest order whose block fits in {@code pages} frames. */
    private static int orderFloor(final int pages)
    {
        return Math.min(MAX_ORDER, 31 - Integer.numberOfLeadingZeros(pages));
    }

    /** One pool: a list per order, a mask of non-empty orders, and the frames it holds. */
    private final class FreeLists
    {
        private final int tag;
        private final int[] heads = new int[MAX_ORDER + 1];
        private int nonEmpty;
        private int frames;

        FreeLists(final int tag)
        {
            this.tag = tag;
            Arrays.fill(heads, NONE);
        }

        /** Insert a block and merge it with its buddies in this pool, as far as they go. */
        void insert(final int first, final int order)
        {
            int head = first;
            int k = order;
            while (k < MAX_ORDER)
            {
                final int buddy = head ^ (1 << k);
                if (buddy >= maxFrames || tags[buddy] != (byte)(tag | k))
                {
                    break;
                }
                remove(buddy, k);
                head = Math.min(head, buddy);
                k++;
            }
            push(head, k);
        }

        /** Insert any range of frames, cut into the largest aligned blocks. */
        void insertRange(final int first, final int length)
        {
            final int end = first + length;
            int frame = first;
            while (frame < end)
            {
                int order = Math.min(MAX_ORDER, Integer.numberOfTrailingZeros(frame));
                while (1 << order > end - frame)
                {
                    order--;
                }
                insert(frame, order);
                frame += 1 << order;
            }
        }

        /**
         * Take one block of {@code maxOrder} (split from the smallest larger block when none is
         * free), else the largest smaller one.
         *
         * @return its length in frames, 0 when the pool is empty.
         */
        int take(final int maxOrder, final BlockList out)
        {
            final int atLeast = nonEmpty & (-1 << maxOrder);
            int order;
            if (atLeast != 0)
            {
                order = Integer.numberOfTrailingZeros(atLeast);
            }
            else if ((nonEmpty & ((1 << maxOrder) - 1)) != 0)
            {
                order = 31 - Integer.numberOfLeadingZeros(nonEmpty);
            }
            else
            {
                return 0;
            }
            final int head = heads[order];
            remove(head, order);
            while (order > maxOrder)
            {
                order--;
                push(head + (1 << order), order);
            }
            out.add(head, 1 << order);
            return 1 << order;
        }

        /** @return the first frame of this pool's block holding {@code frame}, or {@link #NONE}. */
        int containing(final int frame)
        {
            for (int order = 0; order <= MAX_ORDER; order++)
            {
                final int head = frame & (-1 << order);
                if (tags[head] == (byte)(tag | order))
                {
                    return head;
                }
            }
            return NONE;
        }

        void push(final int head, final int order)
        {
            final int old = heads[order];
            next[head] = old;
            prev[head] = NONE;
            if (old != NONE)
            {
                prev[old] = head;
            }
            heads[order] = head;
            tags[head] = (byte)(tag | order);
            nonEmpty |= 1 << order;
            frames += 1 << order;
        }

        void remove(final int head, final int order)
        {
            final int after = next[head];
            final int before = prev[head];
            if (before == NONE)
            {
                heads[order] = after;
            }
            else
            {
                next[before] = after;
            }
            if (after != NONE)
            {
                prev[after] = before;
            }
            if (heads[order] == NONE)
            {
                nonEmpty &= ~(1 << order);
            }
            tags[head] = 0;
            frames -= 1 << order;
        }
    }
}
