package org.coopvm.examples.workload;

import java.util.Arrays;

/**
 * Intrusive doubly-linked lists of int slot ids: the links live in two int arrays shared by
 * every list made over the same {@link Links}, so a slot is in at most one list at a time and
 * each list costs three ints, not an object per entry. Every operation is O(1).
 *
 * <p>The head is the front ({@link #addFirst}, most recently used in an LRU list), the tail the
 * back ({@link #removeLast}, least recently used).
 *
 * <p>Thread safety: none; the owner guards it.
 */
final class SlotList
{
    /** No slot: an empty list's head and tail, the ends' outer links. */
    static final int NONE = -1;

    private final Links links;
    private int head = NONE;
    private int tail = NONE;
    private int size;

    /**
     * @param links the link arrays this list threads through.
     */
    SlotList(final Links links)
    {
        this.links = links;
    }

    /** @return slots in the list. */
    int size()
    {
        return size;
    }

    /** @return the front slot, or {@link #NONE}. */
    int first()
    {
        return head;
    }

    /** @return the back slot, or {@link #NONE}. */
    int last()
    {
        return tail;
    }

    /**
     * @param slot a slot in this list.
     * @return the slot behind it (towards the back), or {@link #NONE}.
     */
    int next(final int slot)
    {
        return links.next[slot];
    }

    /** @param slot a slot in no list: it becomes the front. */
    void addFirst(final int slot)
    {
        links.prev[slot] = NONE;
        links.next[slot] = head;
        if (head == NONE)
        {
            tail = slot;
        }
        else
        {
            links.prev[head] = slot;
        }
        head = slot;
        size++;
    }

    /** @param slot a slot in no list: it becomes the back. */
    void addLast(final int slot)
    {
        links.next[slot] = NONE;
        links.prev[slot] = tail;
        if (tail == NONE)
        {
            head = slot;
        }
        else
        {
            links.next[tail] = slot;
        }
        tail = slot;
        size++;
    }

    /** @param slot a slot in this list: it leaves it. */
    void remove(final int slot)
    {
        final int before = links.prev[slot];
        final int after = links.next[slot];
        if (before == NONE)
        {
            head = after;
        }
        else
        {
            links.next[before] = after;
        }
        if (after == NONE)
        {
            tail = before;
        }
        else
        {
            links.prev[after] = before;
        }
        size--;
    }

    /** @return the front slot, taken out of the list, or {@link #NONE} when empty. */
    int removeFirst()
    {
        final int slot = head;
        if (slot != NONE)
        {
            remove(slot);
        }
        return slot;
    }

    /** @return the back slot, taken out of the list, or {@link #NONE} when empty. */
    int removeLast()
    {
        final int slot = tail;
        if (slot != NONE)
        {
            remove(slot);
        }
        return slot;
    }

    /** @param slot a slot in this list: it moves to the front. */
    void moveToFront(final int slot)
    {
        if (slot != head)
        {
            remove(slot);
            addFirst(slot);
        }
    }

    /**
     * Put {@code replacement} where {@code slot} is (same neighbours), and take {@code slot} out.
     *
     * @param slot        a slot in this list.
     * @param replacement a slot in no list.
     */
    void replace(final int slot, final int replacement)
    {
        final int before = links.prev[slot];
        final int after = links.next[slot];
        links.prev[replacement] = before;
        links.next[replacement] = after;
        if (before == NONE)
        {
            head = replacement;
        }
        else
        {
            links.next[before] = replacement;
        }
        if (after == NONE)
        {
            tail = replacement;
        }
        else
        {
            links.prev[after] = replacement;
        }
    }

    /**
     * The link arrays several {@link SlotList}s share: {@code prev} and {@code next} per slot.
     */
    static final class Links
    {
        private int[] prev = new int[0];
        private int[] next = new int[0];

        /** @return slots the arrays hold. */
        int capacity()
        {
            return prev.length;
        }

        /**
         * Make room for slots {@code 0 .. slots - 1} (at least doubling, so growth is amortised O(1)).
         *
         * @param slots slots needed.
         */
        void ensureCapacity(final int slots)
        {
            if (slots > prev.length)
            {
                final int capacity = Math.max(slots, (int)Math.min(Integer.MAX_VALUE - 8, 2L * prev.length));
                prev = Arrays.copyOf(prev, capacity);
                next = Arrays.copyOf(next, capacity);
            }
        }
    }
}
