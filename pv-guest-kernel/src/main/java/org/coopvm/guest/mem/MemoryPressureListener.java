package org.coopvm.guest.mem;

/**
 * Told when an allocation meets memory pressure (Linux's OOM notifier chain, which
 * virtio-balloon's deflate-on-OOM hangs on): the balloon driver gives memory back when the host
 * negotiated it.
 *
 * <p>Thread safety: called on the allocating thread (any workload thread, any vCPU), outside the
 * allocator's lock, after the stall or the out-of-memory was counted. It must be cheap, never block
 * and never allocate from the guest's memory.
 */
@FunctionalInterface
public interface MemoryPressureListener
{
    /**
     * @param pressure    what happened.
     * @param pagesWanted the pages the allocation asked for.
     */
    void onPressure(MemoryPressure pressure, long pagesWanted);
}
