package org.coopvm.guest.hypercall;

/**
 * Output of {@code VCPUOP_get_runstate_info}.
 *
 * <p>Thread safety: immutable.
 *
 * @param result       0, or minus a Xen errno (then the other fields are 0).
 * @param state        running 0, runnable 1, blocked 2, offline 3.
 * @param stateEntryNs when the vCPU entered that state, host clock.
 * @param runningNs    time spent running.
 * @param runnableNs   time spent runnable (waiting for a CPU slot).
 * @param blockedNs    time spent blocked.
 * @param offlineNs    time spent offline.
 */
public record RunstateInfo(long result, int state, long stateEntryNs, long runningNs, long runnableNs, long blockedNs, long offlineNs)
{
    /** @return steal time: runnable + offline, as Xen accounts it. */
    public long stealNs()
    {
        return runnableNs + offlineNs;
    }
}
