package org.coopvm.guest.hypercall;

import org.agrona.concurrent.AtomicBuffer;
import org.coopvm.rings.hypercall.MemoryOpDescriptor;
import org.coopvm.rings.mem.Pages;

/**
 * The array of gpfns a reservation hypercall names (Xen's {@code extent_start} handle): one
 * page of the guest's own memory, which the caller owns for as long as it uses the list (the
 * balloon driver keeps one for its life, as Linux's balloon keeps its static
 * {@code frame_list}). Up to {@link MemoryOpDescriptor#EXTENTS_PER_PAGE} gpfns fit.
 *
 * <p>Allocation-free after construction. Thread safety: one thread at a time (the one filling
 * it and making the call).
 */
public final class ExtentList
{
    /** gpfns one list holds. */
    public static final int CAPACITY = MemoryOpDescriptor.EXTENTS_PER_PAGE;

    private final AtomicBuffer page;
    private final long address;

    /**
     * @param page  a 4096-byte view of the frame (e.g. {@code pages().page(frame)}).
     * @param frame the frame's number in this domain's memory; it must stay populated.
     */
    public ExtentList(final AtomicBuffer page, final int frame)
    {
        if (page.capacity() < Pages.PAGE_SIZE || frame < 0)
        {
            throw new IllegalArgumentException("an extent list needs a whole page of a frame, not " + page.capacity() +
                " bytes of frame " + frame);
        }
        this.page = page;
        this.address = (long)frame << Pages.PAGE_SHIFT;
    }

    /**
     * @param index 0..{@link #CAPACITY} - 1.
     * @param gpfn  the first frame of that extent.
     * @return this.
     */
    public ExtentList put(final int index, final long gpfn)
    {
        page.putLong(index * MemoryOpDescriptor.EXTENT_BYTES, gpfn);
        return this;
    }

    /** @param index 0..{@link #CAPACITY} - 1. @return the gpfn there. */
    public long get(final int index)
    {
        return page.getLong(index * MemoryOpDescriptor.EXTENT_BYTES);
    }

    /** @return the guest-physical byte address of entry 0, the {@code extent_start} to pass. */
    public long address()
    {
        return address;
    }
}
