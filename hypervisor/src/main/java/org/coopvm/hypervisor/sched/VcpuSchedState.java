package org.coopvm.hypervisor.sched;

import java.util.Objects;

/**
 * What tools show about one vCPU's scheduling: its priority and its credit.
 *
 * <p>Thread safety: immutable.
 *
 * @param priority the priority.
 * @param credit   the credit: Xen credit units for {@code credit} (10 per ms of CPU, clamped to
 *                 +-300 at a 30 ms slice), nanoseconds for {@code credit2}; algorithms without
 *                 credit report 0.
 */
public record VcpuSchedState(Priority priority, long credit)
{
    /** Validate. */
    public VcpuSchedState
    {
        Objects.requireNonNull(priority, "priority");
    }
}
