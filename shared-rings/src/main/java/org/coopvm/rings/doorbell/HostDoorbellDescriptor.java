package org.coopvm.rings.doorbell;

/**
 * Layout of the host doorbell region's payload ({@code <run>/host-doorbell}, a DOORBELL region
 * every guest maps): one {@link DoorbellDescriptor doorbell} per host agent that guests wake, each
 * on its own cache line. Offsets are from the payload start.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |    hypercall dispatcher's doorbell (64 bytes)                 |   0
 *  +---------------------------------------------------------------+
 *  |    CPU scheduler's doorbell (64 bytes)                        |  64
 *  +---------------------------------------------------------------+
 *  |                 vCPUs waiting for a CPU slot                  | 128
 *  +---------------------------------------------------------------+
 *  |    reserved, zero                                             | 132..4095
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * A guest rings the dispatcher's after offering a hypercall, and the scheduler's after changing a
 * vCPU's slot request or releasing its slot ({@code wakeIfSleeping()} in both cases). The CPU
 * scheduler keeps the count of vCPUs waiting for a slot up to date (release store after each duty
 * cycle that changed it); a guest vCPU that runs out of work keeps its slot asleep only while it
 * reads 0 there (volatile load), as KVM polls only while no other task waits for the CPU.
 */
public final class HostDoorbellDescriptor
{
    /** Offset of the doorbell the hypercall dispatcher sleeps on. */
    public static final int DISPATCHER_DOORBELL_OFFSET = 0;
    /** Offset of the doorbell the CPU scheduler sleeps on. */
    public static final int SCHEDULER_DOORBELL_OFFSET = 64;
    /** Offset of the number of vCPUs waiting for a CPU slot (u32, host-written). */
    public static final int SLOT_WAITERS_OFFSET = 128;
    /** Payload bytes of the host doorbell region: one page. */
    public static final int PAYLOAD_LENGTH = 4096;

    private HostDoorbellDescriptor()
    {
    }
}
