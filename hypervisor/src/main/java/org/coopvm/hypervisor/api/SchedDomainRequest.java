package org.coopvm.hypervisor.api;

/**
 * The body of {@code POST /v1/domains/{id}/sched-credit}: the parameters to change; null leaves one
 * as it is. All are checked before any changes: one bad value changes nothing.
 *
 * @param weight     the new weight, 1..65535, or null.
 * @param capPercent the new cap, 0 (none)..100 per vCPU, or null.
 * @param sliceMs    the new slice, 0 (the host's) or 1..1000 ms, or null.
 *
 * <p>Thread safety: immutable.
 */
public record SchedDomainRequest(Integer weight, Integer capPercent, Integer sliceMs)
{
    /** @return whether it changes nothing. */
    public boolean changesNothing()
    {
        return weight == null && capPercent == null && sliceMs == null;
    }
}
