package org.coopvm.hypervisor.api;

/**
 * One vCPU as {@code coop vcpu-list} shows it: its runstate with the time in each state since its
 * domain was created (they add up to that time), its steal time (runnable + offline, as Xen counts
 * it), the CPU time charged to it, the slot it holds and the scheduling algorithm's view of it.
 *
 * @param domid      its domain.
 * @param vcpu       its index in the domain, from 0.
 * @param state      run state.
 * @param cpuTimeNs  CPU time it has used (its thread's schedstat, as the scheduler charged it).
 * @param slot       the physical CPU slot it holds, -1 for none.
 * @param runningNs  time holding a slot.
 * @param runnableNs time wanting one.
 * @param blockedNs  time idle or waiting for an event.
 * @param offlineNs  time down, paused or suspended.
 * @param stealNs    runnable + offline.
 * @param priority   the algorithm's priority ({@code BOOST}, {@code UNDER}, {@code OVER}, {@code IDLE},
 *                   {@code PARKED}), "" when unknown.
 * @param credit     the algorithm's credit (credit: Xen's credit units; credit2: ns).
 * @param overruns   times it kept its slot past its slice plus the grace after the preempt flag.
 *
 * <p>Thread safety: immutable.
 */
public record VcpuInfo(
    int domid,
    int vcpu,
    VcpuState state,
    long cpuTimeNs,
    int slot,
    long runningNs,
    long runnableNs,
    long blockedNs,
    long offlineNs,
    long stealNs,
    String priority,
    long credit,
    long overruns)
{
    /**
     * A vCPU known only by its state and CPU time.
     *
     * @param domid     its domain.
     * @param vcpu      its index.
     * @param state     run state.
     * @param cpuTimeNs CPU time it has used.
     */
    public VcpuInfo(final int domid, final int vcpu, final VcpuState state, final long cpuTimeNs)
    {
        this(domid, vcpu, state, cpuTimeNs, -1, 0, 0, 0, 0, 0, "", 0, 0);
    }
}
