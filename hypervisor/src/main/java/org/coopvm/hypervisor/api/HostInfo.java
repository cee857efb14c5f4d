package org.coopvm.hypervisor.api;

/**
 * What {@code coop info} shows about the host.
 *
 * @param pid      the host process id.
 * @param poolMib  memory pool for guests.
 * @param freeMib  pool memory not reserved by any domain.
 * @param cpus     physical CPU slots.
 * @param runDir   the run directory, absolute.
 * @param uptimeMs time since the host started.
 * @param domains  number of guest domains (any state).
 * @param scheduler the CPU scheduling algorithm ({@code credit}, ...).
 *
 * <p>Thread safety: immutable.
 */
public record HostInfo(long pid, int poolMib, int freeMib, int cpus, String runDir, long uptimeMs, int domains, String scheduler)
{
    /**
     * A host running the default scheduler.
     *
     * @param pid      the host process id.
     * @param poolMib  memory pool for guests.
     * @param freeMib  pool memory not reserved.
     * @param cpus     physical CPU slots.
     * @param runDir   the run directory.
     * @param uptimeMs time since the host started.
     * @param domains  number of guest domains.
     */
    public HostInfo(final long pid, final int poolMib, final int freeMib, final int cpus, final String runDir, final long uptimeMs,
        final int domains)
    {
        this(pid, poolMib, freeMib, cpus, runDir, uptimeMs, domains, "credit");
    }
}
