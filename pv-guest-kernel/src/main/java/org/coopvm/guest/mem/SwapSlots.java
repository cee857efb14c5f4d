package org.coopvm.guest.mem;

import java.util.BitSet;

/**
 * Which slots of a swap device hold a page: next-fit over a bit set (Linux's
 * {@code scan_swap_map}, without its clustering), so consecutive page-outs land in consecutive
 * slots while the device is not fragmented.
 *
 * <p>Thread safety: none; {@link SwapSpace} calls it under its lock.
 */
final class SwapSlots
{
    private final BitSet used;
    private final int slots;
    private int next;
    private int usedCount;

    SwapSlots(final int slots)
    {
        this.slots = slots;
        this.used = new BitSet(slots);
    }

    /** @return a free slot, now used, or -1 when the device is full. */
    int take()
    {
        if (usedCount == slots)
        {
            return -1;
        }
        int slot = used.nextClearBit(next);
        if (slot >= slots)
        {
            slot = used.nextClearBit(0);
        }
        used.set(slot);
        usedCount++;
        next = slot + 1 == slots ? 0 : slot + 1;
        return slot;
    }

    /** @param slot a used slot; it becomes free. */
    void release(final int slot)
    {
        if (!used.get(slot))
        {
            throw new IllegalStateException("swap slot " + slot + " is not in use");
        }
        used.clear(slot);
        usedCount--;
    }

    /** @return free slots. */
    int free()
    {
        return slots - usedCount;
    }

    /** @return used slots. */
    int used()
    {
        return usedCount;
    }
}
