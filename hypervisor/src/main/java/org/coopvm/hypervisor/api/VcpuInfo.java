package org.coopvm.hypervisor.api;

/**
 * One vCPU as {@code coop vcpu-list} shows it.
 *
 * @param domid     its domain.
 * @param vcpu      its index in the domain, from 0.
 * @param state     run state.
 * @param cpuTimeNs CPU time it has used.
 *
 * <p>Thread safety: immutable.
 */
public record VcpuInfo(int domid, int vcpu, VcpuState state, long cpuTimeNs)
{
}
