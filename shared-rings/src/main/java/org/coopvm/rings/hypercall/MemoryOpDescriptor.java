package org.coopvm.rings.hypercall;

/**
 * {@code memory_op} (op 12): commands and argument offsets (relative to
 * {@link HypercallDescriptor#ARGS_OFFSET}).
 *
 * <pre>
 *  XENMEM_current_reservation  +0 u32 dom (DOMID_SELF ok)   result pages
 *  XENMEM_maximum_reservation  +0 u32 dom (DOMID_SELF ok)   result pages
 * </pre>
 */
public final class MemoryOpDescriptor
{
    /** Command: pages the domain has now. */
    public static final int XENMEM_CURRENT_RESERVATION = 3;
    /** Command: most pages the domain may have. */
    public static final int XENMEM_MAXIMUM_RESERVATION = 4;
    /** Argument: the domain (u32), {@link EventChannelOpDescriptor#DOMID_SELF} for the caller. */
    public static final int RESERVATION_DOM_OFFSET = 0;

    private MemoryOpDescriptor()
    {
    }
}
