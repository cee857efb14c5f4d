package org.coopvm.rings.hypercall;

/**
 * {@code memory_op} (op 12): commands and argument offsets (relative to
 * {@link HypercallDescriptor#ARGS_OFFSET}).
 *
 * <p>The reservation commands carry Xen's {@code struct xen_memory_reservation} byte for byte
 * (x86-64). {@code extent_start} is Xen's guest handle: a guest-physical byte address in the
 * caller's own memory region (frame f starts at {@code f * 4096}) of an array of
 * {@code nr_extents} u64 gpfns; every page the array touches must be populated.
 *
 * <pre>
 *  XENMEM_increase_reservation 0   xen_memory_reservation       result extents done
 *  XENMEM_decrease_reservation 1   xen_memory_reservation       result extents done
 *  XENMEM_populate_physmap     6   xen_memory_reservation       result extents done
 *  XENMEM_current_reservation  3   +0 u32 dom (DOMID_SELF ok)   result pages
 *  XENMEM_maximum_reservation  4   +0 u32 dom (DOMID_SELF ok)   result pages
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |             extent_start (u64): address of the gpfn array     |   0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |             nr_extents (u64)                                  |   8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |             extent_order (u32): 2^order pages per extent      |  16
 *  +---------------------------------------------------------------+
 *  |             mem_flags (u32): must be 0                        |  20
 *  +-------------------------------+-------------------------------+
 *  |  domid (u16), DOMID_SELF ok   |  padding (6 bytes)            |  24
 *  +-------------------------------+                               |
 *  |                                                               |
 *  +---------------------------------------------------------------+  32
 * </pre>
 */
public final class MemoryOpDescriptor
{
    /** Command: populate the listed gpfns (here the same as {@link #XENMEM_POPULATE_PHYSMAP}). */
    public static final int XENMEM_INCREASE_RESERVATION = 0;
    /** Command: give the listed gpfns back to the host. */
    public static final int XENMEM_DECREASE_RESERVATION = 1;
    /** Command: pages the domain has now. */
    public static final int XENMEM_CURRENT_RESERVATION = 3;
    /** Command: most pages the domain may have. */
    public static final int XENMEM_MAXIMUM_RESERVATION = 4;
    /** Command: populate the listed gpfns with fresh (zero) pages from the host's pool. */
    public static final int XENMEM_POPULATE_PHYSMAP = 6;

    /** Argument of current/maximum_reservation: the domain (u32), {@link EventChannelOpDescriptor#DOMID_SELF} for the caller. */
    public static final int RESERVATION_DOM_OFFSET = 0;

    /** Argument: {@code extent_start} (u64), guest-physical byte address of the gpfn array in the caller's memory. */
    public static final int EXTENT_START_OFFSET = 0;
    /** Argument: {@code nr_extents} (u64). */
    public static final int NR_EXTENTS_OFFSET = 8;
    /** Argument: {@code extent_order} (u32): each extent is 2^order pages starting at an aligned gpfn. */
    public static final int EXTENT_ORDER_OFFSET = 16;
    /** Argument: {@code mem_flags} (u32), Xen's XENMEMF_* bits; none apply here, so it must be 0. */
    public static final int MEM_FLAGS_OFFSET = 20;
    /** Argument: {@code domid} (u16), {@link EventChannelOpDescriptor#DOMID_SELF} for the caller. */
    public static final int DOMID_OFFSET = 24;
    /** Bytes of {@code struct xen_memory_reservation} on x86-64. */
    public static final int RESERVATION_ARGS_LENGTH = 32;

    /** Largest {@code extent_order} (Xen's default for guests: 2 MiB extents). */
    public static final int MAX_EXTENT_ORDER = 9;
    /** Most extents one call may name (the array is copied into the hypervisor's private memory). */
    public static final int MAX_EXTENTS = 4096;
    /** Bytes of one gpfn in the extent array. */
    public static final int EXTENT_BYTES = 8;
    /** gpfns that fit one page: a batch of this many needs a single page for its array. */
    public static final int EXTENTS_PER_PAGE = 512;

    private MemoryOpDescriptor()
    {
    }
}
