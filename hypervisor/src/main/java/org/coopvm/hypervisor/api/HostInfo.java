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
 *
 * <p>Thread safety: immutable.
 */
public record HostInfo(long pid, int poolMib, int freeMib, int cpus, String runDir, long uptimeMs, int domains)
{
}
