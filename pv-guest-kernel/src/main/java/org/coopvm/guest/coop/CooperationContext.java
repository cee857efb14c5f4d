package org.coopvm.guest.coop;

import org.coopvm.guest.mem.MemoryStats;
import org.coopvm.guest.workload.VcpuRunstate;
import org.coopvm.rings.usage.UsageRead;

import java.util.Optional;

/**
 * What the guest kernel offers a {@link CooperationPolicy}: who it is, the usage page, its own
 * memory and the request it publishes to the host, its vCPUs' runstates, a limit on its own CPU
 * use, a slice request to the host's scheduler, the console and the clock.
 *
 * <p>Thread safety: called by the policy on the cooperation task's thread; the kernel's
 * implementation is safe from any thread.
 */
public interface CooperationContext
{
    /** @return this domain's id (its entry on the usage page). */
    int domid();

    /** @return the usage page read now: a consistent copy, or why not this time; never blocks. */
    UsageRead readUsage();

    /** @return this guest's memory figures now (total, free, available, caches, ...), from its page allocator. */
    MemoryStats memoryStats();

    /** @return the most memory this domain may hold (its maxmem), KiB. */
    long maxmemKib();

    /** @return the floor the guest's balloon keeps (the higher of {@code minmem} and what the guest declares), KiB; 0 when none. */
    long floorKib();

    /**
     * Ask for memory, or volunteer some, through the balloon stats the host reads (the
     * {@code cooperative} balloon policy acts on it). Replaces the previous request. The request
     * is kept as a goal, the total now plus or minus {@code kib} within 0..maxmem, and published
     * until the guest's total reaches it, then it reads 0 by itself.
     *
     * @param kib more than 0 asks for that much more, less than 0 volunteers that much back, 0
     *            withdraws the request.
     */
    void requestMemory(long kib);

    /** @return what the next stats publish carries: the part of the request still missing (signed), 0 for none. */
    long outstandingRequestKib();

    /** @return how many vCPUs this domain has (ids 0..n-1). */
    int vcpuCount();

    /**
     * @param vcpu a vCPU of this domain.
     * @return its runstate now (ns running, runnable, blocked, offline; steal), from the host's
     *         vcpu_info; empty when no consistent copy could be read or the host publishes none.
     */
    Optional<VcpuRunstate> runstate(int vcpu);

    /**
     * Limit this guest's own CPU use, as Linux's {@code cpu.max} limits a cgroup
     * ({@link org.coopvm.guest.task.CpuLimit}): each vCPU runs task steps for at most {@code share}
     * of every period, then gives its CPU slot back and rests (blocked: neither runnable nor
     * stealing) until the period ends; event upcalls still run. Replaces the previous limit.
     *
     * @param share    above 0; 1.0 lifts the limit.
     * @param periodMs the period, 1..10000 ms.
     * @throws IllegalArgumentException for a share not above 0 or a period out of range.
     */
    void limitCpu(double share, long periodMs);

    /** @return the share of each period the guest's vCPUs may run now, 1.0 when unlimited. */
    double cpuShare();

    /**
     * Ask the host for a shorter time slice for this domain ({@code SCHEDOP_coop_slice}): a
     * latency-sensitive guest's vCPUs then run in shorter turns. Never longer than the slice the
     * toolstack configured; 0 goes back to it. Kept until asked again.
     *
     * @param sliceMs 1..the configured slice, or 0.
     * @return the slice in effect afterwards, ms (asking 0 tells the configured one); minus an
     *         errno ({@code -EINVAL}: longer than the configured slice, nothing changed).
     */
    long requestSliceMs(int sliceMs);

    /**
     * Write a line on the domain's console, prefixed {@code cooperation: }; at most 10 lines per
     * 10 s reach it (the rest are counted and the count is said later).
     *
     * @param line the text.
     */
    void log(String line);

    /** @return now, on the kernel's clock, ns. */
    long nowNs();
}
