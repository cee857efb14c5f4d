package org.coopvm.balloon.guest;

import org.coopvm.guest.hypercall.ExtentList;
import org.coopvm.guest.hypercall.Hypercalls;
import org.coopvm.guest.mem.Allocation;
import org.coopvm.guest.mem.AllocationResult;
import org.coopvm.guest.mem.GuestMemory;

/**
 * The {@link Reservation} of a real guest: Xen's {@code memory_op} through the kernel's hypercall
 * stubs, one order-0 extent per frame. The gpfn array lives in one page of the guest's own memory
 * (an {@link ExtentList}), allocated once when the driver starts and kept, as Linux's balloon keeps
 * its static {@code frame_list}: a batch allocates nothing.
 *
 * <p>Thread safety: the balloon driver's thread, which must be a vCPU of the guest (the hypercall
 * goes out on that vCPU's port); {@link #close()} once, when the driver stops.
 */
public final class HypercallReservation implements Reservation, AutoCloseable
{
    private final Hypercalls hypercalls;
    private final GuestMemory memory;
    private final Allocation page;
    private final ExtentList extents;

    private HypercallReservation(final Hypercalls hypercalls, final GuestMemory memory, final Allocation page)
    {
        this.hypercalls = hypercalls;
        this.memory = memory;
        this.page = page;
        this.extents = new ExtentList(page.page(0), page.frame(0));
    }

    /**
     * @param hypercalls the kernel's hypercall stubs.
     * @param memory     the guest's memory: one page is taken from it for the extent list.
     * @return the reservation.
     * @throws IllegalStateException when the guest has no free page.
     */
    public static HypercallReservation allocate(final Hypercalls hypercalls, final GuestMemory memory)
    {
        if (memory.allocatePages(1) instanceof AllocationResult.Allocated(final Allocation page))
        {
            return new HypercallReservation(hypercalls, memory, page);
        }
        throw new IllegalStateException("no free page for the balloon's extent list");
    }

    @Override
    public int decrease(final int[] gpfns, final int count)
    {
        fill(gpfns, count);
        return (int)hypercalls.decreaseReservation(extents.address(), count, 0);
    }

    @Override
    public int populate(final int[] gpfns, final int count)
    {
        fill(gpfns, count);
        return (int)hypercalls.populatePhysmap(extents.address(), count, 0);
    }

    /** @return the frame holding the extent list. */
    public int extentListFrame()
    {
        return page.frame(0);
    }

    /** Give the extent list's page back to the allocator. */
    @Override
    public void close()
    {
        memory.free(page);
    }

    private void fill(final int[] gpfns, final int count)
    {
        if (count < 0 || count > ExtentList.CAPACITY)
        {
            throw new IllegalArgumentException("a batch is 0.." + ExtentList.CAPACITY + " frames, not " + count);
        }
        for (int i = 0; i < count; i++)
        {
            extents.put(i, gpfns[i]);
        }
    }
}
