package org.coopvm.hypervisor.sched.runtime;

import org.coopvm.hypervisor.sched.SchedParams;
import org.coopvm.rings.domain.VcpuInfoDescriptor;

import java.util.List;
import java.util.Objects;

/**
 * One domain as the CPU scheduler sees it, at a moment: the parameters the toolstack configured,
 * those the algorithm runs it with (the same, but for a shorter slice the guest may have asked for
 * with {@code SCHEDOP_coop_slice}), whether it is suspended for overruns, and each of its vCPUs.
 * What the usage page and the tools show.
 *
 * <p>Thread safety: immutable.
 *
 * @param domid        the domain.
 * @param configured   weight, cap and slice as the toolstack set them.
 * @param effective    what the algorithm uses now.
 * @param guestSliceMs the slice the guest asked for, ms; 0 = none.
 * @param suspended    whether it is suspended for repeated overruns now.
 * @param vcpus        its vCPUs, by id.
 */
public record DomainSchedInfo(int domid, SchedParams configured, SchedParams effective, int guestSliceMs, boolean suspended,
                              List<VcpuSchedInfo> vcpus)
{
    /** Checks the references and copies the list. */
    public DomainSchedInfo
    {
        Objects.requireNonNull(configured, "configured");
        Objects.requireNonNull(effective, "effective");
        vcpus = List.copyOf(vcpus);
    }

    /** @return CPU time charged to all its vCPUs, ns. */
    public long cpuNs()
    {
        long sum = 0;
        for (final VcpuSchedInfo vcpu : vcpus)
        {
            sum += vcpu.cpuNs();
        }
        return sum;
    }

    /** @return steal time (runnable + offline) of all its vCPUs, ns. */
    public long stealNs()
    {
        long sum = 0;
        for (final VcpuSchedInfo vcpu : vcpus)
        {
            sum += vcpu.stealNs();
        }
        return sum;
    }

    /** @return its vCPUs waiting for a slot now (runstate runnable; those holding one are running). */
    public int runnableVcpus()
    {
        int count = 0;
        for (final VcpuSchedInfo vcpu : vcpus)
        {
            if (vcpu.runstate() == VcpuInfoDescriptor.RUNSTATE_RUNNABLE)
            {
                count++;
            }
        }
        return count;
    }
}
