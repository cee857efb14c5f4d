package org.coopvm.hypervisor.api;

import org.coopvm.hypervisor.config.DomainConfig;

import java.util.List;

/**
 * What the management API asks of the hypervisor: the toolstack's view of the host, like
 * libxl's. Domains are named by name or by domain id (a string of digits). Every failure is a
 * {@link HostControlException} whose {@link Errno} says what kind: {@code ENOENT} unknown domain,
 * {@code EEXIST} name taken, {@code EINVAL} bad argument or state, {@code ENOMEM} pool too
 * short, {@code EBUSY} busy.
 *
 * <p>Thread safety: implementations must accept calls from several API handler threads at once.
 */
public interface HostControl
{
    /**
     * @return every domain, in domid order.
     */
    List<DomainInfo> list();

    /**
     * Create a domain and start it.
     *
     * @param config the validated config.
     * @return the new domain.
     */
    DomainInfo create(DomainConfig config);

    /**
     * @param nameOrDomid a domain name or id.
     * @return the domain.
     */
    DomainInfo info(String nameOrDomid);

    /**
     * @param nameOrDomid a domain name or id; its vCPUs stop being scheduled.
     */
    void pause(String nameOrDomid);

    /**
     * @param nameOrDomid a paused domain.
     */
    void unpause(String nameOrDomid);

    /**
     * Ask the guest to shut down (then the domain gets its config's {@code on_*} action). Returns
     * once the request is made, not when the guest has acted on it.
     *
     * @param nameOrDomid a domain.
     * @param reason      what to tell the guest: POWEROFF for {@code coop shutdown}.
     * @param force       shut it down in the hypervisor at once, without asking the guest
     *                    ({@code xl shutdown -F}).
     */
    void shutdown(String nameOrDomid, ShutdownReason reason, boolean force);

    /**
     * @param nameOrDomid a domain to shut down with reason REBOOT, asking the guest first.
     */
    void reboot(String nameOrDomid);

    /**
     * Destroy the domain at once and reclaim everything it holds.
     *
     * @param nameOrDomid a domain.
     */
    void destroy(String nameOrDomid);

    /**
     * @param nameOrDomid a domain, or null for every domain.
     * @return the vCPUs, by domid then vCPU index.
     */
    List<VcpuInfo> vcpus(String nameOrDomid);

    /**
     * @return the host's summary.
     */
    HostInfo hostInfo();

    /**
     * Type on a domain's console: the bytes go to its console ring's input ({@code coop console}).
     *
     * @param nameOrDomid a domain.
     * @param bytes       what was typed.
     * @throws HostControlException {@code ENOENT} for no such domain, {@code EAGAIN} when its
     *                              input queue is full, {@code ENOSYS} when this host has no
     *                              console backend.
     */
    default void consoleInput(final String nameOrDomid, final byte[] bytes)
    {
        throw new HostControlException(Errno.ENOSYS, "this host has no console backend");
    }

    /**
     * Set a domain's balloon target ({@code xl mem-set}): write {@code memory/target}. The guest's
     * balloon driver follows it; the convergence report says how that went.
     *
     * @param nameOrDomid a domain.
     * @param targetKib   the new target, KiB, at most the domain's {@code memory/static-max}.
     * @throws HostControlException {@code ENOENT} for no such domain, {@code EINVAL} for a target
     *                              that is negative or above static-max (nothing changes).
     */
    default void memSet(final String nameOrDomid, final long targetKib)
    {
        throw new HostControlException(Errno.ENOSYS, "this host has no balloon support");
    }

    /**
     * Set a domain's maximum memory ({@code xl mem-max}): its {@code max_pages} in the
     * hypervisor and {@code memory/static-max}.
     *
     * @param nameOrDomid a domain.
     * @param maxKib      the new maximum, KiB, at least its current target.
     * @throws HostControlException {@code ENOENT} for no such domain, {@code EINVAL} for a maximum
     *                              below the target or beyond the domain's memory (nothing changes).
     */
    default void memMax(final String nameOrDomid, final long maxKib)
    {
        throw new HostControlException(Errno.ENOSYS, "this host has no balloon support");
    }

    /** @return the balloon policy the host runs ({@link BalloonPolicyInfo#NONE} for none) and its last decisions. */
    default BalloonPolicyInfo balloonPolicy()
    {
        throw new HostControlException(Errno.ENOSYS, "this host has no balloon policy engine");
    }

    /**
     * Choose the balloon policy ({@code coop balloon-policy set NAME key=value...}).
     *
     * @param name      a policy, or {@link BalloonPolicyInfo#NONE} to stop the running one.
     * @param arguments its {@code key=value} parameters.
     * @return the policy as it now runs.
     * @throws HostControlException {@code EINVAL} naming the policy or key at fault (nothing changes).
     */
    default BalloonPolicyInfo setBalloonPolicy(final String name, final List<String> arguments)
    {
        throw new HostControlException(Errno.ENOSYS, "this host has no balloon policy engine");
    }

    /**
     * @param nameOrDomid a domain, or null for all.
     * @return the policy engine's recent decisions, oldest first (repeats left out).
     */
    default List<BalloonDecisionInfo> balloonDecisions(final String nameOrDomid)
    {
        throw new HostControlException(Errno.ENOSYS, "this host has no balloon policy engine");
    }

    /**
     * @param nameOrDomid a domain, or null for all.
     * @return the recent convergence reports, oldest first.
     */
    default List<ConvergenceReport> balloonReports(final String nameOrDomid)
    {
        throw new HostControlException(Errno.ENOSYS, "this host has no balloon support");
    }

    /**
     * The CPU scheduler's host-wide settings and each domain's parameters ({@code coop sched-credit}).
     *
     * @param nameOrDomid a domain, or null for all.
     * @return the scheduler and the domains' parameters.
     * @throws HostControlException {@code ENOENT} for no such domain.
     */
    default SchedInfo sched(final String nameOrDomid)
    {
        throw new HostControlException(Errno.ENOSYS, "this host has no CPU scheduler");
    }

    /**
     * Change a domain's weight, cap or slice at run time ({@code coop sched-credit -d D -w W -c C -s S}):
     * in effect from the scheduler's next decision, traced with who changed what.
     *
     * @param nameOrDomid a domain.
     * @param change      what to change (null fields stay).
     * @return its parameters now.
     * @throws HostControlException {@code ENOENT} for no such domain; {@code EINVAL} naming the value and
     *                              the range when one is out of range (nothing changes).
     */
    default SchedDomainInfo setSched(final String nameOrDomid, final SchedDomainRequest change)
    {
        throw new HostControlException(Errno.ENOSYS, "this host has no CPU scheduler");
    }

    /**
     * Change the host's default slice or rate limit at run time ({@code coop sched-credit -t T -r R}).
     *
     * @param change what to change (null fields stay).
     * @return the settings now.
     * @throws HostControlException {@code EINVAL} naming the value and the range (nothing changes).
     */
    default SchedHostInfo setSchedHost(final SchedHostRequest change)
    {
        throw new HostControlException(Errno.ENOSYS, "this host has no CPU scheduler");
    }

    /**
     * Stop the host: destroy every guest and release what the hypervisor holds. Returns when done.
     */
    void stop();
}
