package org.coopvm.hypervisor.api;

/**
 * One domain's CPU scheduling parameters, a row of {@code coop sched-credit} ({@code xl sched-credit}).
 *
 * @param domid      the domain.
 * @param name       its name.
 * @param weight     its weight, 1..65535.
 * @param capPercent its cap in percent of one CPU slot, 0 = none.
 * @param sliceMs    its own time slice in ms, 0 = the host's ({@link SchedHostInfo#tsliceMs()}).
 *
 * <p>Thread safety: immutable.
 */
public record SchedDomainInfo(int domid, String name, int weight, int capPercent, int sliceMs)
{
}
