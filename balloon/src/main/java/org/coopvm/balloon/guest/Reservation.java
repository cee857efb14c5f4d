package org.coopvm.balloon.guest;

/**
 * The guest's side of Xen's {@code memory_op} reservation commands, as the balloon driver uses
 * them ({@code xen/include/public/memory.h}, Linux's {@code xenmem_reservation_decrease} and
 * {@code xenmem_reservation_increase}): one extent per 4 KiB frame, extents processed in order.
 *
 * <p>Results follow Xen: the count of extents done (partial success is normal, and then the
 * first {@code done} entries are the ones done), or a negative errno
 * ({@link org.coopvm.rings.hypercall.Errno}), e.g. {@code -E2BIG} when populating would take the
 * domain over {@code maxmem} and {@code -ENOMEM} when the host pool is short.
 *
 * <p>Thread safety: called only on the balloon driver's thread. A call returns when the
 * hypercall does; it never waits for memory to become available.
 */
public interface Reservation
{
    /**
     * {@code XENMEM_decrease_reservation}: give frames back to the host. The frames' contents
     * are gone; the guest must not touch them until they are populated again.
     *
     * @param gpfns frames at indexes {@code 0 .. count - 1}.
     * @param count how many, at most 512.
     * @return frames released (the first ones), or a negative errno.
     */
    int decrease(int[] gpfns, int count);

    /**
     * {@code XENMEM_populate_physmap}: back frames with memory again (zeroed).
     *
     * @param gpfns frames at indexes {@code 0 .. count - 1}, none of them populated.
     * @param count how many, at most 512.
     * @return frames populated (the first ones), or a negative errno.
     */
    int populate(int[] gpfns, int count);
}
