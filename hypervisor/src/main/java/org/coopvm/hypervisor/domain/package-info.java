/**
 * Domains as the hypervisor sees them: {@link org.coopvm.hypervisor.domain.Domain} (id, spec,
 * host-side mappings of its regions, vCPUs, counters, lifecycle state),
 * {@link org.coopvm.hypervisor.domain.DomainRegions} (creating and removing a domain's region
 * files, all or nothing), the {@link org.coopvm.hypervisor.domain.DomainTable}, and the listener
 * interfaces the host wires to tracing, metrics and lifecycle actions.
 */
package org.coopvm.hypervisor.domain;
