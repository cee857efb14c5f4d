package org.coopvm.hypervisor.api;

import org.coopvm.hypervisor.config.Isolation;

/**
 * What the toolstack shows about one domain ({@code coop list}, {@code GET /v1/domains}).
 *
 * @param domid          the domain id (1..N for guests, 0 for the host).
 * @param name           the domain's name from its config.
 * @param state          lifecycle state.
 * @param shutdownReason why it shut down when {@code state} is SHUTDOWN (or DYING after one); null otherwise.
 * @param vcpus          number of vCPUs.
 * @param memoryKib      current memory reservation: its populated pages (Xen's {@code tot_pages}) in KiB.
 * @param maxmemKib      maximum reservation ({@code max_pages}) in KiB.
 * @param minmemKib      the floor ballooning keeps, KiB (0: none).
 * @param residentBytes  bytes of its memory the machine holds now, measured from its memory file
 *                       (allocated blocks) or anonymous mapping (resident pages).
 * @param isolation      where the guest runs.
 * @param pid            the guest JVM's process id, or -1 for an in-process guest.
 * @param cpuTimeNs      CPU time used by all its vCPUs.
 * @param uptimeMs       time since it was created.
 * @param balloon        its balloon target and how the latest change of it went; null when the
 *                       host does not track them.
 * @param cpu            its scheduling parameters, CPU and steal over the last second; null when the
 *                       host does not schedule CPU slots.
 * @param swap           its swap traffic as its guest claims it in its balloon stats; null when dom0
 *                       has accepted none of its stats.
 *
 * <p>Thread safety: immutable.
 */
public record DomainInfo(
    int domid,
    String name,
    DomainState state,
    ShutdownReason shutdownReason,
    int vcpus,
    long memoryKib,
    long maxmemKib,
    long minmemKib,
    long residentBytes,
    Isolation isolation,
    long pid,
    long cpuTimeNs,
    long uptimeMs,
    BalloonState balloon,
    DomainCpu cpu,
    GuestSwapInfo swap)
{
    /**
     * A domain without swap figures.
     *
     * @param domid          the domain id.
     * @param name           its name.
     * @param state          lifecycle state.
     * @param shutdownReason why it shut down, or null.
     * @param vcpus          number of vCPUs.
     * @param memoryKib      current memory reservation, KiB.
     * @param maxmemKib      maximum reservation, KiB.
     * @param minmemKib      the balloon's floor, KiB.
     * @param residentBytes  bytes of its memory the machine holds.
     * @param isolation      where the guest runs.
     * @param pid            the guest JVM's pid, or -1.
     * @param cpuTimeNs      CPU time used.
     * @param uptimeMs       time since it was created.
     * @param balloon        its balloon, or null.
     * @param cpu            its CPU figures, or null.
     */
    public DomainInfo(final int domid, final String name, final DomainState state, final ShutdownReason shutdownReason,
        final int vcpus, final long memoryKib, final long maxmemKib, final long minmemKib, final long residentBytes,
        final Isolation isolation, final long pid, final long cpuTimeNs, final long uptimeMs, final BalloonState balloon,
        final DomainCpu cpu)
    {
        this(domid, name, state, shutdownReason, vcpus, memoryKib, maxmemKib, minmemKib, residentBytes, isolation, pid, cpuTimeNs,
            uptimeMs, balloon, cpu, null);
    }

    /**
     * A domain without CPU figures.
     *
     * @param domid          the domain id.
     * @param name           its name.
     * @param state          lifecycle state.
     * @param shutdownReason why it shut down, or null.
     * @param vcpus          number of vCPUs.
     * @param memoryKib      current memory reservation, KiB.
     * @param maxmemKib      maximum reservation, KiB.
     * @param minmemKib      the balloon's floor, KiB.
     * @param residentBytes  bytes of its memory the machine holds.
     * @param isolation      where the guest runs.
     * @param pid            the guest JVM's pid, or -1.
     * @param cpuTimeNs      CPU time used.
     * @param uptimeMs       time since it was created.
     * @param balloon        its balloon, or null.
     */
    public DomainInfo(final int domid, final String name, final DomainState state, final ShutdownReason shutdownReason,
        final int vcpus, final long memoryKib, final long maxmemKib, final long minmemKib, final long residentBytes,
        final Isolation isolation, final long pid, final long cpuTimeNs, final long uptimeMs, final BalloonState balloon)
    {
        this(domid, name, state, shutdownReason, vcpus, memoryKib, maxmemKib, minmemKib, residentBytes, isolation, pid, cpuTimeNs,
            uptimeMs, balloon, null, null);
    }
}
