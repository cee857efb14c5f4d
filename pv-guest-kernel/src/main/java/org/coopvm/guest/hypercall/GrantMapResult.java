package org.coopvm.guest.hypercall;

/**
 * Output of {@code GNTTABOP_map_grant_ref}.
 *
 * <p>Thread safety: immutable.
 *
 * @param result  0, or minus a Xen errno (the call itself failed).
 * @param status  a {@code GNTST_*} code; 0 = mapped.
 * @param handle  the map handle, for unmap.
 * @param granter the granting domain.
 * @param frame   the page number in the granter's memory region.
 */
public record GrantMapResult(long result, int status, int handle, int granter, int frame)
{
    /** @return whether the grant is now mapped. */
    public boolean isMapped()
    {
        return result == 0 && status == 0;
    }
}
