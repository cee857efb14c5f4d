package org.coopvm.hypervisor.hypercall;

import org.agrona.concurrent.AtomicBuffer;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.memory.Physmap;
import org.coopvm.rings.hypercall.HypercallRequest;
import org.coopvm.rings.mem.Pages;

import static org.coopvm.rings.hypercall.Errno.*;
import static org.coopvm.rings.hypercall.MemoryOpDescriptor.*;

/**
 * memory_op: the reservation queries and the reservation changes (increase, decrease,
 * populate). A change's extent array is read from the caller's memory once, bounds-checked,
 * into this handler's private array, and only that copy is used.
 *
 * <p>Thread safety: the dispatcher thread (the private array is reused by every call).
 */
final class MemoryOps
{
    private final HypercallServices services;
    private final long[] extents = new long[MAX_EXTENTS];

    MemoryOps(final HypercallServices services)
    {
        this.services = services;
    }

    OpHandler table()
    {
        return CommandTable.builder("memory_op")
            .on(XENMEM_INCREASE_RESERVATION, RESERVATION_ARGS_LENGTH, this::change)
            .on(XENMEM_DECREASE_RESERVATION, RESERVATION_ARGS_LENGTH, this::change)
            .on(XENMEM_POPULATE_PHYSMAP, RESERVATION_ARGS_LENGTH, this::change)
            .on(XENMEM_CURRENT_RESERVATION, 4, ctx -> query(ctx, false))
            .on(XENMEM_MAXIMUM_RESERVATION, 4, ctx -> query(ctx, true))
            .build();
    }

    private long query(final HypercallContext ctx, final boolean maximum)
    {
        final Domain target = services.domains().resolve(ctx.domain(), ctx.request().argInt(RESERVATION_DOM_OFFSET));
        if (target == null)
        {
            return -ESRCH;
        }
        if (target != ctx.domain())
        {
            return -EPERM;
        }
        final Physmap physmap = target.memory().physmap();
        return maximum ? physmap.maxPages() : physmap.populatedPages();
    }

    private long change(final HypercallContext ctx)
    {
        final HypercallRequest request = ctx.request();
        final long extentStart = request.argLong(EXTENT_START_OFFSET);
        final long nrExtents = request.argLong(NR_EXTENTS_OFFSET);
        final int order = request.argInt(EXTENT_ORDER_OFFSET);
        final Domain target = services.domains().resolve(ctx.domain(), request.argUnsignedShort(DOMID_OFFSET));
        if (target == null || target.isDying())
        {
            return -ESRCH;
        }
        if (target != ctx.domain())
        {
            return -EPERM;
        }
        if (request.argInt(MEM_FLAGS_OFFSET) != 0 || order < 0 || order > MAX_EXTENT_ORDER || nrExtents < 0 || nrExtents > MAX_EXTENTS)
        {
            return -EINVAL;
        }
        if (nrExtents == 0)
        {
            return 0;
        }
        if (!copyExtents(ctx.domain(), extentStart, (int)nrExtents))
        {
            return -EFAULT;
        }
        return apply(ctx.cmd(), target, (int)nrExtents, order);
    }

    private long apply(final int cmd, final Domain target, final int count, final int order)
    {
        final int domid = target.domid();
        return switch (cmd)
        {
            case XENMEM_DECREASE_RESERVATION -> services.reservations().decreaseReservation(domid, target.memory(), extents, count, order);
            case XENMEM_INCREASE_RESERVATION -> services.reservations().increaseReservation(domid, target.memory(), extents, count, order);
            default -> services.reservations().populatePhysmap(domid, target.memory(), extents, count, order);
        };
    }

    /**
     * Xen's guest handle: {@code count} u64s at guest-physical byte address {@code address} of the
     * caller's own memory, every page of them populated (an unpopulated page is not the guest's
     * to read from, and reading it would make the host allocate it).
     */
    private boolean copyExtents(final Domain caller, final long address, final int count)
    {
        final AtomicBuffer memory = caller.regions().memory().payloadBuffer();
        final long end = address + (long)count * EXTENT_BYTES;
        if (address < 0 || end > memory.capacity())
        {
            return false;
        }
        final Physmap physmap = caller.memory().physmap();
        for (long page = address >>> Pages.PAGE_SHIFT; page <= (end - 1) >>> Pages.PAGE_SHIFT; page++)
        {
            if (!physmap.isPopulated(page))
            {
                return false;
            }
        }
        for (int i = 0; i < count; i++)
        {
            extents[i] = memory.getLong((int)address + i * EXTENT_BYTES);
        }
        return true;
    }
}
