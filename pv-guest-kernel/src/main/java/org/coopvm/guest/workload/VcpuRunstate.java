package org.coopvm.guest.workload;

/**
 * One vCPU's runstate as the host publishes it in its vcpu_info (Xen's
 * {@code vcpu_runstate_info}), brought up to a moment: the time in the current state since the
 * host's last update is added to that state, so the four times add up to the time since the
 * domain was created.
 *
 * <p>Thread safety: immutable.
 *
 * @param state      {@code VcpuInfoDescriptor.RUNSTATE_*}: running 0 (holds a physical CPU slot),
 *                   runnable 1 (wants one), blocked 2 (idle, or waiting in SCHEDOP_block/poll),
 *                   offline 3 (down, paused or suspended by the host).
 * @param runningNs  time running.
 * @param runnableNs time runnable: wanting a slot and not getting it.
 * @param blockedNs  time blocked.
 * @param offlineNs  time offline.
 * @param atNs       the moment, on the kernel's clock (the host's CLOCK_MONOTONIC).
 */
public record VcpuRunstate(int state, long runningNs, long runnableNs, long blockedNs, long offlineNs, long atNs)
{
    /** @return steal time, as Xen counts it: runnable + offline (time the vCPU wanted to run and could not). */
    public long stealNs()
    {
        return runnableNs + offlineNs;
    }

    /** @return the sum of the four times: the time since the domain was created. */
    public long totalNs()
    {
        return runningNs + runnableNs + blockedNs + offlineNs;
    }
}
