package org.coopvm.hypervisor.api;

/**
 * The host's CPU scheduler: which algorithm runs and its host-wide settings, the first line of
 * {@code coop sched-credit}.
 *
 * @param scheduler   the algorithm's name ({@code credit}, {@code credit2}, ...).
 * @param cpuSlots    physical CPU slots P (fixed while the host runs).
 * @param tsliceMs    the default time slice, ms ({@code sched_credit_tslice_ms}).
 * @param tickMs      the accounting tick, ms.
 * @param ratelimitUs the rate limit, us, 0 = off ({@code sched_ratelimit_us}).
 *
 * <p>Thread safety: immutable.
 */
public record SchedHostInfo(String scheduler, int cpuSlots, int tsliceMs, int tickMs, long ratelimitUs)
{
}
