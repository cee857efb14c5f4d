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
    /** The parameters the toolstack set (what {@code coop sched-credit} changes). */
    SchedParams configured;
    /** The shorter slice the guest asked for (SCHEDOP_coop_slice), ms; 0 = none. */
    int guestSliceMs;
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
        this.configured = params;
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

    /**
     * @param hostSliceMs the host's slice.
     * @return the slice the toolstack configured for it, ms: its own, or the host's.
     */
    int configuredSliceMs(final int hostSliceMs)
    {
        return configured.sliceMsOr(hostSliceMs);
    }

    /**
     * @param hostSliceMs the host's slice.
     * @return what the algorithm runs it with: the configured parameters, with the guest's shorter
     *         slice when it asked for one (never longer than the configured slice).
     */
    SchedParams effective(final int hostSliceMs)
    {
        return guestSliceMs == 0 ? configured : configured.withSliceMs(Math.min(guestSliceMs, configuredSliceMs(hostSliceMs)));
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
