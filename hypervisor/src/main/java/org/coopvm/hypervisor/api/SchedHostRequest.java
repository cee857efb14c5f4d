package org.coopvm.hypervisor.api;

/**
 * The body of {@code PUT /v1/sched}: the host-wide settings to change; null leaves one as it is.
 * Both are checked before any changes.
 *
 * @param tsliceMs    the new default slice, 1..1000 ms, or null.
 * @param ratelimitUs the new rate limit, 0 (off) or 100..500000 us and at most the slice, or null.
 *
 * <p>Thread safety: immutable.
 */
public record SchedHostRequest(Integer tsliceMs, Long ratelimitUs)
{
    /** @return whether it changes nothing. */
    public boolean changesNothing()
    {
        return tsliceMs == null && ratelimitUs == null;
    }
}
