package org.coopvm.hypervisor.api;

import java.util.List;

/**
 * What {@code GET /v1/sched} answers ({@code coop sched-credit} without changes): the host's
 * scheduler and the parameters of each domain asked for.
 *
 * @param host    the scheduler and its host-wide settings.
 * @param domains the domains, by domid.
 *
 * <p>Thread safety: immutable.
 */
public record SchedInfo(SchedHostInfo host, List<SchedDomainInfo> domains)
{
    /** Copy the list. */
    public SchedInfo
    {
        domains = List.copyOf(domains);
    }
}
