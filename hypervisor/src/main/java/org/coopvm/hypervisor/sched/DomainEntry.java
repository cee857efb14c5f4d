package org.coopvm.hypervisor.sched;

import java.util.ArrayList;
import java.util.List;

/**
 * What the shipped algorithms keep about one domain: its parameters and its vCPUs. Subclasses add
 * the algorithm's per-domain accounting.
 *
 * <p>Thread safety: the scheduler's thread only.
 */
class DomainEntry
{
    final int domid;
    final List<VcpuEntry> vcpus = new ArrayList<>();
    SchedParams params;

    DomainEntry(final int domid, final SchedParams params)
    {
        this.domid = domid;
        this.params = params;
    }

    /** @return whether the domain has a cap. */
    boolean capped()
    {
        return params.capped();
    }
}
