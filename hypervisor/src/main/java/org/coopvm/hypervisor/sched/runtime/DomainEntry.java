package org.coopvm.hypervisor.sched.runtime;

import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.sched.SchedParams;
import org.coopvm.rings.doorbell.PeerLiveness;

/**
 * The CPU scheduler's books on one domain: its vCPUs, and what takes all of them off the CPU
 * (paused, suspended for ignoring preemption, its guest gone).
 *
 * <p>Thread safety: under the scheduler's lock only.
 */
final class DomainEntry
{
    final Domain domain;
    final VcpuEntry[] vcpus;
    final boolean inProcess;
    final PeerLiveness guestLiveness;
    boolean paused;
    boolean guestGone;
    boolean removed;
    boolean processStopped;
    /** When the current suspension ends, host clock; 0 = not suspended. */
    long suspendedUntilNs;
    long suspensions;

    DomainEntry(final Domain domain, final SchedParams params, final long nowNs, final int overrunLimit)
    {
        this.domain = domain;
        this.inProcess = domain.spec().inProcess();
        this.guestLiveness = domain.guestLiveness();
        this.paused = domain.isPaused();
        this.vcpus = new VcpuEntry[domain.nrVcpus()];
        for (int k = 0; k < vcpus.length; k++)
        {
            vcpus[k] = new VcpuEntry(this, k, params, nowNs, overrunLimit);
        }
    }

    int domid()
    {
        return domain.domid();
    }

    /** @return whether all its vCPUs are kept off the CPU (paused, suspended, its guest gone, the domain destroyed). */
    boolean isHeld()
    {
        return paused || guestGone || removed || suspendedUntilNs != 0;
    }

    /** @return whether the guest marked its liveness slot closed (its kernel stopped). */
    boolean readGuestGone()
    {
        return guestLiveness != null && guestLiveness.isClosed();
    }
}
