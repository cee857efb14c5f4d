package org.coopvm.guest.grant;

/**
 * The outcome of {@link GrantMapper#map}: on success the page is reachable through
 * {@link #mapping()}.
 *
 * <p>Thread safety: immutable.
 *
 * @param result  0, or minus a Xen errno ({@code -EFAULT} when the hypervisor granted the map but
 *                the page could not be mapped here; the grant was unmapped again).
 * @param status  a {@code GNTST_*} code; 0 = mapped.
 * @param handle  the hypervisor's map handle.
 * @param granter the granting domain.
 * @param ref     the grant reference.
 * @param frame   the page number in the granter's memory.
 * @param mapping the page view, {@code null} unless mapped.
 */
public record MappedGrant(long result, int status, int handle, int granter, int ref, int frame, ForeignMapping mapping)
{
    /** @return whether the page is mapped. */
    public boolean isMapped()
    {
        return mapping != null;
    }
}
